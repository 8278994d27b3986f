#pragma once

#include "ai_service/rgb_image.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tryon::ai {

/// A binary image: 1 = foreground (skin), 0 = background.
struct binary_mask {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> bits;

  binary_mask() = default;

  /// An all-background mask.
  binary_mask(int w, int h)
    : width(w), height(h), bits(static_cast<std::size_t>(w) * h, 0) {}

  /// Foreground test; anything outside the image is background.
  bool fg(int x, int y) const {
    return x >= 0 && y >= 0 && x < width && y < height &&
           bits[static_cast<std::size_t>(y) * width + x] != 0;
  }
};

/// The skin box in YCbCr (ITU-R BT.601, full range). Defaults are the
/// classic Chai & Ngan (1999) bounds; `min_y` drops near-black noise.
struct skin_thresholds {
  int cr_min = 133;
  int cr_max = 173;
  int cb_min = 77;
  int cb_max = 127;
  int min_y = 40;
};

/// Marks the pixels whose chroma falls inside the skin box.
binary_mask skin_mask(const rgb_image& img, const skin_thresholds& t = {});

/// Morphological opening then closing with a 3x3 square: drops isolated
/// speckles and fills pinholes without moving the outline.
void clean_mask(binary_mask& mask);

/// Keeps only the largest 8-connected component; returns its pixel count.
std::size_t keep_largest_component(binary_mask& mask);

} // namespace tryon::ai
