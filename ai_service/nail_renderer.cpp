#include "ai_service/nail_renderer.hpp"

#include <algorithm>
#include <cmath>

namespace tryon::ai {

namespace {

constexpr double opacity = 0.96;

// Bilinear sample of channel values at (u, v) in tile pixel units.
void sample(const rgb_image& tile, double u, double v, double out[3]) {
  u = std::clamp(u, 0.0, tile.width - 1.0);
  v = std::clamp(v, 0.0, tile.height - 1.0);
  const int x0 = static_cast<int>(u);
  const int y0 = static_cast<int>(v);
  const int x1 = std::min(x0 + 1, tile.width - 1);
  const int y1 = std::min(y0 + 1, tile.height - 1);
  const double fx = u - x0;
  const double fy = v - y0;
  for (int c = 0; c < 3; ++c) {
    const double top = tile.at(x0, y0)[c] * (1 - fx) + tile.at(x1, y0)[c] * fx;
    const double bot = tile.at(x0, y1)[c] * (1 - fx) + tile.at(x1, y1)[c] * fx;
    out[c] = top * (1 - fy) + bot * fy;
  }
}

double luma(const std::uint8_t* p) {
  return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

// Ellipse-local coordinates of a pixel centre: along the finger (1 = tip
// end of the ellipse) and across it, both normalised by the semi-axes.
struct local {
  double along;
  double across;
};

local to_local(const nail_placement& n, int x, int y) {
  const double dx = x + 0.5 - n.cx;
  const double dy = y + 0.5 - n.cy;
  return {(dx * n.ux + dy * n.uy) / n.half_length,
          (-dx * n.uy + dy * n.ux) / n.half_width};
}

void render_one(rgb_image& frame, const nail_placement& n,
                const nail_design& d) {
  if (n.half_length < 1 || n.half_width < 1 || d.tile.empty())
    return;
  const double reach = std::max(n.half_length, n.half_width) + 1;
  const int x0 = std::max(0, static_cast<int>(std::floor(n.cx - reach)));
  const int y0 = std::max(0, static_cast<int>(std::floor(n.cy - reach)));
  const int x1 = std::min(frame.width - 1, static_cast<int>(n.cx + reach));
  const int y1 = std::min(frame.height - 1, static_cast<int>(n.cy + reach));
  // The nail's mean brightness, so shading is relative to it.
  double sum = 0;
  int count = 0;
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) {
      const local l = to_local(n, x, y);
      if (l.along * l.along + l.across * l.across <= 1) {
        sum += luma(frame.at(x, y));
        ++count;
      }
    }
  const double mean_luma = count > 0 ? std::max(sum / count, 1.0) : 128.0;
  const double feather = std::max(1.5, 0.2 * n.half_width);
  const double tw = d.tile.width - 1.0;
  const double th = d.tile.height - 1.0;
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      const local l = to_local(n, x, y);
      const double r = std::hypot(l.along, l.across);
      if (r >= 1)
        continue;
      // Approximate distance to the edge in pixels, eased (smoothstep).
      const double e = std::clamp((1 - r) * n.half_width / feather, 0.0, 1.0);
      const double alpha = opacity * e * e * (3 - 2 * e);
      double c[3];
      sample(d.tile, (l.across + 1) / 2 * tw, (1 - l.along) / 2 * th, c);
      std::uint8_t* p = frame.at(x, y);
      // Keep the finger's lighting (curvature, shadows), damped.
      const double shade =
          std::clamp(0.7 + 0.3 * luma(p) / mean_luma, 0.75, 1.2);
      // Specular streak along one side of the nail.
      const double sa = (l.along - 0.1) / 0.55;
      const double sc = (l.across + 0.4) / 0.2;
      const double gloss = 0.45 * std::exp(-(sa * sa + sc * sc));
      for (int k = 0; k < 3; ++k) {
        const double paint =
            std::min(255.0, c[k] * shade) * (1 - gloss) + 255.0 * gloss;
        const double v = p[k] * (1 - alpha) + paint * alpha;
        p[k] = static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
      }
    }
  }
}

} // namespace

void render_nails(rgb_image& frame, const std::vector<nail_placement>& nails,
                  const nail_design& design) {
  for (const auto& n : nails)
    render_one(frame, n, design);
}

} // namespace tryon::ai
