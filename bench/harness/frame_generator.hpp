#pragma once

#include "bench/harness/bench_options.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tryon::bench {

/// One pre-encoded camera frame.
struct frame_image {
  int width = 0;
  int height = 0;
  std::shared_ptr<const std::string> jpeg; ///< never null once made
};

/// A synthetic back-of-hand photo (palm, four spread fingers, a thumb, the
/// wrist leaving through the bottom edge) on a shaded background, as RGB
/// (3 bytes per pixel). `variant` moves the hand a little; `grain` is the
/// amplitude of sensor-like luminance noise, which sets the JPEG size.
std::vector<std::uint8_t> draw_hand_rgb(int width, int height, int variant,
                                        int grain);

/// Baseline JPEG (4:2:0) of RGB pixels; empty on failure.
std::string encode_jpeg(const std::vector<std::uint8_t>& rgb, int width,
                        int height, int quality);

/// A hand frame whose JPEG is as close to `target_bytes` as the grain
/// search gets (within a few percent for 30-120 KB at 480p/720p).
frame_image make_frame(int width, int height, int variant,
                       std::size_t target_bytes);

/// The frames a run cycles through: `variants` per resolution; `mixed`
/// alternates 720p (frame_kb) and 480p (frame_kb * 0.6, at least 30 KB).
std::vector<frame_image> make_frame_set(frame_resolution res, int frame_kb,
                                        int variants);

/// A 256x256 nail design JPEG (uploaded, or handed to the AI service).
std::string make_design_jpeg();

} // namespace tryon::bench
