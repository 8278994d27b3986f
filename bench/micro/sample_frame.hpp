#pragma once

#include "bench/harness/frame_generator.hpp"

#include <string>

namespace tryon::bench {

/// A 1280x720 synthetic hand JPEG of about 60 KB, made once.
inline const std::string& sample_jpeg_60k() {
  static const std::string jpeg = *make_frame(1280, 720, 0, 60 * 1024).jpeg;
  return jpeg;
}

} // namespace tryon::bench
