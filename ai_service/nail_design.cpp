#include "ai_service/nail_design.hpp"

#include "ai_service/image_codec.hpp"

#include <algorithm>
#include <cmath>

namespace tryon::ai {

namespace {

std::uint8_t mix(double a, double b, double t) {
  return static_cast<std::uint8_t>(
      std::clamp(std::lround(a + (b - a) * t), 0L, 255L));
}

} // namespace

nail_design default_design() {
  nail_design d;
  d.tile = rgb_image(design_tile_size, design_tile_size);
  for (int y = 0; y < design_tile_size; ++y) {
    const double t = static_cast<double>(y) / (design_tile_size - 1);
    for (int x = 0; x < design_tile_size; ++x) {
      std::uint8_t* p = d.tile.at(x, y);
      p[0] = mix(214, 168, t);
      p[1] = mix(42, 22, t);
      p[2] = mix(92, 70, t);
    }
  }
  d.mean = mean_colour(d.tile);
  return d;
}

nail_design design_from_image(const rgb_image& reference) {
  if (reference.empty())
    return default_design();
  nail_design d;
  const int cw = std::max(1, reference.width * 6 / 10);
  const int ch = std::max(1, reference.height * 6 / 10);
  d.tile = resize_region(reference, (reference.width - cw) / 2,
                         (reference.height - ch) / 2, cw, ch, design_tile_size,
                         design_tile_size);
  d.mean = mean_colour(d.tile);
  return d;
}

pipeline_result<derived_design> derive_design(std::string_view image_bytes) {
  // Scaled decode: the tile needs little resolution (a 12 MP photo decodes
  // at 1/8 scale in a few milliseconds).
  auto decoded = decode_image(image_bytes, 4 * design_tile_size);
  if (auto* img = std::get_if<rgb_image>(&decoded))
    return derived_design{design_from_image(*img), {}};
  const auto& err = std::get<pipeline_error>(decoded);
  if (detect_format(image_bytes) == image_format::png)
    return derived_design{default_design(), "PNG reference not decoded (" +
                                                err.message +
                                                "): using the default design"};
  return pipeline_error{"nail reference: " + err.message};
}

rgb_image make_demo_design(int size) {
  size = std::max(8, size);
  rgb_image img(size, size);
  const double s = size;
  const double spacing = s / 6.4;
  const double dot_r = s / 42.0;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      // Diagonal magenta -> violet gradient.
      const double t = (x + y) / (2.0 * (s - 1));
      double c[3] = {236 + (118 - 236) * t, 38 + (50 - 38) * t,
                     170 + (214 - 170) * t};
      // Gloss: a soft white band across the upper left.
      const double band = (x - y * 0.6) / s - 0.15;
      const double gloss =
          0.38 * std::exp(-band * band / 0.006) * (1.0 - y / s);
      // Staggered dots, anti-aliased over one pixel.
      const int row = static_cast<int>(std::floor(y / spacing));
      const double ox = (row % 2 == 0) ? 0.5 * spacing : 0.0;
      const double gx = std::fmod(x + ox, spacing) - spacing / 2;
      const double gy =
          std::fmod(static_cast<double>(y), spacing) - spacing / 2;
      const double dot = std::clamp(dot_r + 0.5 - std::hypot(gx, gy), 0.0, 1.0);
      const double white = std::max(gloss, dot);
      std::uint8_t* p = img.at(x, y);
      for (int k = 0; k < 3; ++k)
        p[k] = mix(c[k], 255.0, white);
    }
  }
  return img;
}

} // namespace tryon::ai
