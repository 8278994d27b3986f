#pragma once

#include "ai_service/rgb_image.hpp"

#include <string>
#include <vector>

namespace tryon::ai::test {

/// Background colour of the synthetic scenes (dark blue-grey).
constexpr rgb background{24, 28, 36};
/// Skin colour of the synthetic hand (inside the YCbCr skin box).
constexpr rgb skin{224, 172, 140};

/// A fingertip the synthetic hand is drawn with (full-frame pixels).
struct drawn_tip {
  double x;
  double y;
};

/// A synthetic back-of-hand photo: palm, four fingers, a thumb and the
/// wrist leaving through the bottom edge, on a dark background. Scales
/// with `w` x `h` (designed at 1280 x 720).
rgb_image draw_hand(int w, int h, std::vector<drawn_tip>* tips = nullptr);

/// Dark scene with grey and blue boxes: no skin anywhere.
rgb_image draw_no_hand(int w, int h);

/// A skin-coloured disc without fingers (a face-like blob).
rgb_image draw_skin_disc(int w, int h);

/// Lossless WebP of `img` (empty on failure).
std::string encode_webp(const rgb_image& img);

/// Largest per-channel difference between pixel (x, y) of two images.
int pixel_diff(const rgb_image& a, const rgb_image& b, int x, int y);

} // namespace tryon::ai::test
