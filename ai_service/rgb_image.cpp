#include "ai_service/rgb_image.hpp"

#include <algorithm>

namespace tryon::ai {

rgb_image downscale(const rgb_image& src, int factor) {
  if (factor < 2 || src.empty())
    return src;
  const int w = (src.width + factor - 1) / factor;
  const int h = (src.height + factor - 1) / factor;
  rgb_image out(w, h);
  // One row of per-output-column sums, reused for every output row.
  std::vector<std::uint32_t> sums(static_cast<std::size_t>(w) * 3);
  for (int oy = 0; oy < h; ++oy) {
    std::fill(sums.begin(), sums.end(), 0u);
    const int y0 = oy * factor;
    const int y1 = std::min(src.height, y0 + factor);
    for (int y = y0; y < y1; ++y) {
      const std::uint8_t* p = src.at(0, y);
      for (int ox = 0; ox < w; ++ox) {
        const int cols = std::min(factor, src.width - ox * factor);
        std::uint32_t r = 0;
        std::uint32_t g = 0;
        std::uint32_t b = 0;
        for (int i = 0; i < cols; ++i, p += 3) {
          r += p[0];
          g += p[1];
          b += p[2];
        }
        std::uint32_t* s = &sums[static_cast<std::size_t>(ox) * 3];
        s[0] += r;
        s[1] += g;
        s[2] += b;
      }
    }
    for (int ox = 0; ox < w; ++ox) {
      const int cols = std::min(factor, src.width - ox * factor);
      const auto n = static_cast<std::uint32_t>(cols * (y1 - y0));
      const std::uint32_t* s = &sums[static_cast<std::size_t>(ox) * 3];
      std::uint8_t* d = out.at(ox, oy);
      for (int c = 0; c < 3; ++c)
        d[c] = static_cast<std::uint8_t>((s[c] + n / 2) / n);
    }
  }
  return out;
}

rgb_image resize_region(const rgb_image& src, int x0, int y0, int w, int h,
                        int out_w, int out_h) {
  x0 = std::clamp(x0, 0, std::max(0, src.width - 1));
  y0 = std::clamp(y0, 0, std::max(0, src.height - 1));
  w = std::clamp(w, 1, src.width - x0);
  h = std::clamp(h, 1, src.height - y0);
  rgb_image out(out_w, out_h);
  if (src.empty())
    return out;
  for (int oy = 0; oy < out_h; ++oy) {
    const int sy0 = y0 + oy * h / out_h;
    const int sy1 = std::max(sy0 + 1, y0 + (oy + 1) * h / out_h);
    for (int ox = 0; ox < out_w; ++ox) {
      const int sx0 = x0 + ox * w / out_w;
      const int sx1 = std::max(sx0 + 1, x0 + (ox + 1) * w / out_w);
      std::uint32_t s[3] = {0, 0, 0};
      for (int y = sy0; y < sy1; ++y) {
        const std::uint8_t* p = src.at(sx0, y);
        for (int x = sx0; x < sx1; ++x, p += 3) {
          s[0] += p[0];
          s[1] += p[1];
          s[2] += p[2];
        }
      }
      const auto n = static_cast<std::uint32_t>((sy1 - sy0) * (sx1 - sx0));
      std::uint8_t* d = out.at(ox, oy);
      for (int c = 0; c < 3; ++c)
        d[c] = static_cast<std::uint8_t>((s[c] + n / 2) / n);
    }
  }
  return out;
}

rgb mean_colour(const rgb_image& img) {
  if (img.empty())
    return {};
  std::uint64_t s[3] = {0, 0, 0};
  for (std::size_t i = 0; i < img.pixels.size(); i += 3) {
    s[0] += img.pixels[i];
    s[1] += img.pixels[i + 1];
    s[2] += img.pixels[i + 2];
  }
  const std::uint64_t n = img.pixels.size() / 3;
  return {static_cast<std::uint8_t>((s[0] + n / 2) / n),
          static_cast<std::uint8_t>((s[1] + n / 2) / n),
          static_cast<std::uint8_t>((s[2] + n / 2) / n)};
}

} // namespace tryon::ai
