#pragma once

#include "ai_service/hand_detector.hpp"
#include "ai_service/nail_design.hpp"
#include "ai_service/pipeline_error.hpp"
#include "ai_service/rgb_image.hpp"

#include <string>
#include <string_view>

namespace tryon::ai {

/// Settings of one frame's processing.
struct pipeline_options {
  int jpeg_quality = 80;
  detector_options detector{};
};

/// The processed frame.
struct frame_result {
  std::string jpeg;      ///< always JPEG
  double confidence = 0; ///< in [0, 1]; 0 when no hand was found
  int fingertips = 0;    ///< nails painted
  bool rendered = false; ///< false: the frame came back unchanged
};

/// Detects the hand in `frame` and paints the nails in place; returns what
/// was found (nothing is painted when no fingertip was found).
hand_detection render_frame(rgb_image& frame, const nail_design& design,
                            const detector_options& opts = {});

/// decode -> detect -> render -> encode. With no fingertips the frame is
/// returned unchanged: a JPEG input byte for byte, a WebP input re-encoded
/// as JPEG. Undecodable input is an error.
pipeline_result<frame_result> process_frame(std::string_view image,
                                            const nail_design& design,
                                            const pipeline_options& opts = {});

} // namespace tryon::ai
