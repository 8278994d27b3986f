#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tryon::ai {

/// One 8-bit RGB colour.
struct rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
};

/// An 8-bit interleaved RGB image: 3 bytes per pixel, rows packed.
struct rgb_image {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;

  rgb_image() = default;

  /// A black image of `w` x `h` pixels.
  rgb_image(int w, int h)
    : width(w), height(h), pixels(static_cast<std::size_t>(w) * h * 3, 0) {}

  /// True when the image has no pixels.
  bool empty() const { return width <= 0 || height <= 0; }

  /// Pointer to the three bytes of pixel (x, y).
  std::uint8_t* at(int x, int y) {
    return pixels.data() + (static_cast<std::size_t>(y) * width + x) * 3;
  }

  /// Pointer to the three bytes of pixel (x, y).
  const std::uint8_t* at(int x, int y) const {
    return pixels.data() + (static_cast<std::size_t>(y) * width + x) * 3;
  }
};

/// Averages `factor` x `factor` blocks (a box filter); edge blocks that are
/// cut off average what they hold. `factor` < 2 returns a copy.
rgb_image downscale(const rgb_image& src, int factor);

/// Area-averaging resize of the region (x0, y0, w, h) of `src` to
/// `out_w` x `out_h`; made for shrinking, also correct (blocky) for growing.
rgb_image resize_region(const rgb_image& src, int x0, int y0, int w, int h,
                        int out_w, int out_h);

/// Mean colour of all pixels (black for an empty image).
rgb mean_colour(const rgb_image& img);

} // namespace tryon::ai
