#include "ai_service/skin_mask.hpp"

namespace tryon::ai {

namespace {

// 3x3 erosion (min) or dilation (max), done separably: a 1x3 pass then a
// 3x1 pass. Out-of-image pixels repeat the nearest edge pixel, so a hand
// that touches the border is not eroded away from it.
binary_mask morph(const binary_mask& in, bool erode) {
  const int w = in.width;
  const int h = in.height;
  auto pick = [erode](std::uint8_t a, std::uint8_t b, std::uint8_t c) {
    return erode ? static_cast<std::uint8_t>(a & b & c)
                 : static_cast<std::uint8_t>(a | b | c);
  };
  binary_mask rows(w, h);
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* src = &in.bits[static_cast<std::size_t>(y) * w];
    std::uint8_t* dst = &rows.bits[static_cast<std::size_t>(y) * w];
    for (int x = 0; x < w; ++x)
      dst[x] = pick(src[x > 0 ? x - 1 : x], src[x], src[x + 1 < w ? x + 1 : x]);
  }
  binary_mask out(w, h);
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* up =
        &rows.bits[static_cast<std::size_t>(y > 0 ? y - 1 : y) * w];
    const std::uint8_t* mid = &rows.bits[static_cast<std::size_t>(y) * w];
    const std::uint8_t* down =
        &rows.bits[static_cast<std::size_t>(y + 1 < h ? y + 1 : y) * w];
    std::uint8_t* dst = &out.bits[static_cast<std::size_t>(y) * w];
    for (int x = 0; x < w; ++x)
      dst[x] = pick(up[x], mid[x], down[x]);
  }
  return out;
}

} // namespace

binary_mask skin_mask(const rgb_image& img, const skin_thresholds& t) {
  binary_mask mask(img.width, img.height);
  const std::size_t n = mask.bits.size();
  for (std::size_t i = 0; i < n; ++i) {
    const int r = img.pixels[i * 3];
    const int g = img.pixels[i * 3 + 1];
    const int b = img.pixels[i * 3 + 2];
    // BT.601 full-range conversion in 16.16 fixed point.
    const int y = (19595 * r + 38470 * g + 7471 * b) >> 16;
    const int cb = 128 + ((-11059 * r - 21709 * g + 32768 * b) >> 16);
    const int cr = 128 + ((32768 * r - 27439 * g - 5329 * b) >> 16);
    mask.bits[i] = (y >= t.min_y && cr >= t.cr_min && cr <= t.cr_max &&
                    cb >= t.cb_min && cb <= t.cb_max)
                       ? 1
                       : 0;
  }
  return mask;
}

void clean_mask(binary_mask& mask) {
  mask = morph(morph(mask, true), false); // opening
  mask = morph(morph(mask, false), true); // closing
}

std::size_t keep_largest_component(binary_mask& mask) {
  const int w = mask.width;
  const int h = mask.height;
  std::vector<int> label(mask.bits.size(), 0);
  std::vector<int> stack;
  int best_label = 0;
  std::size_t best_size = 0;
  int next = 0;
  for (int start = 0; start < w * h; ++start) {
    if (mask.bits[start] == 0 || label[start] != 0)
      continue;
    ++next;
    std::size_t size = 0;
    stack.push_back(start);
    label[start] = next;
    while (!stack.empty()) {
      const int p = stack.back();
      stack.pop_back();
      ++size;
      const int px = p % w;
      const int py = p / w;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const int nx = px + dx;
          const int ny = py + dy;
          if (!mask.fg(nx, ny))
            continue;
          const int q = ny * w + nx;
          if (label[q] == 0) {
            label[q] = next;
            stack.push_back(q);
          }
        }
      }
    }
    if (size > best_size) {
      best_size = size;
      best_label = next;
    }
  }
  for (std::size_t i = 0; i < label.size(); ++i)
    mask.bits[i] = (label[i] == best_label && best_label != 0) ? 1 : 0;
  return best_size;
}

} // namespace tryon::ai
