#include "imaging/resample.hpp"

#include <algorithm>
#include <cstddef>

namespace tryon::imaging {

namespace {

/// Source range [begin, end) covered by target index `i` of `n` over `len`.
std::pair<int, int> span_of(int i, int n, int len) {
  auto begin = static_cast<int>(static_cast<long long>(i) * len / n);
  auto end = static_cast<int>(static_cast<long long>(i + 1) * len / n);
  return {begin, std::max(end, begin + 1)};
}

} // namespace

std::vector<unsigned char> shrink_rgb(const std::vector<unsigned char>& rgb,
                                      image_size from, image_size to) {
  std::vector<unsigned char> out(static_cast<std::size_t>(to.width) *
                                 static_cast<std::size_t>(to.height) * 3);
  auto stride = static_cast<std::size_t>(from.width) * 3;
  for (int ty = 0; ty < to.height; ++ty) {
    auto [y0, y1] = span_of(ty, to.height, from.height);
    for (int tx = 0; tx < to.width; ++tx) {
      auto [x0, x1] = span_of(tx, to.width, from.width);
      unsigned long sum[3] = {0, 0, 0};
      for (int y = y0; y < y1; ++y) {
        const unsigned char* p = rgb.data() +
                                 static_cast<std::size_t>(y) * stride +
                                 static_cast<std::size_t>(x0) * 3;
        for (int x = x0; x < x1; ++x, p += 3) {
          sum[0] += p[0];
          sum[1] += p[1];
          sum[2] += p[2];
        }
      }
      auto area = static_cast<unsigned long>((y1 - y0) * (x1 - x0));
      auto* q = out.data() + (static_cast<std::size_t>(ty) *
                                  static_cast<std::size_t>(to.width) +
                              static_cast<std::size_t>(tx)) *
                                 3;
      for (int c = 0; c < 3; ++c)
        q[c] = static_cast<unsigned char>((sum[c] + area / 2) / area);
    }
  }
  return out;
}

} // namespace tryon::imaging
