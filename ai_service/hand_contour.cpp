#include "ai_service/hand_contour.hpp"

#include <algorithm>
#include <cstddef>

namespace tryon::ai {

namespace {

// Moore neighbourhood, clockwise on screen (y grows downwards), from west.
constexpr int dir_x[8] = {-1, -1, 0, 1, 1, 1, 0, -1};
constexpr int dir_y[8] = {0, -1, -1, -1, 0, 1, 1, 1};

int direction_of(int dx, int dy) {
  for (int d = 0; d < 8; ++d)
    if (dir_x[d] == dx && dir_y[d] == dy)
      return d;
  return 0;
}

} // namespace

std::vector<point> trace_outer_contour(const binary_mask& mask) {
  std::vector<point> contour;
  // The first foreground pixel in raster order: its west neighbour is
  // background, which is where the search around it starts.
  auto first = std::find(mask.bits.begin(), mask.bits.end(), 1);
  if (first == mask.bits.end())
    return contour;
  const auto index = static_cast<int>(first - mask.bits.begin());
  const point start{index % mask.width, index / mask.width};
  point p = start;
  point back{start.x - 1, start.y};
  point second{-1, -1};
  // Each boundary pixel is visited at most a few times (once per side it
  // borders): the cap only guards against a logic error.
  const std::size_t cap = mask.bits.size() * 4 + 16;
  while (contour.size() < cap) {
    const int from = direction_of(back.x - p.x, back.y - p.y);
    bool moved = false;
    for (int k = 1; k <= 8; ++k) {
      const int d = (from + k) % 8;
      const point c{p.x + dir_x[d], p.y + dir_y[d]};
      if (!mask.fg(c.x, c.y))
        continue;
      const int prev = (from + k - 1) % 8;
      back = point{p.x + dir_x[prev], p.y + dir_y[prev]};
      // Stop when the first step (start -> second) is about to repeat.
      if (p.x == start.x && p.y == start.y && second.x >= 0 &&
          c.x == second.x && c.y == second.y)
        return contour;
      contour.push_back(p);
      if (second.x < 0)
        second = c;
      p = c;
      moved = true;
      break;
    }
    if (!moved) { // an isolated pixel
      contour.push_back(p);
      return contour;
    }
  }
  return contour;
}

inscribed_circle largest_inscribed_circle(const binary_mask& mask) {
  const int w = mask.width;
  const int h = mask.height;
  constexpr int inf = 1 << 28;
  std::vector<int> dist(mask.bits.size());
  for (std::size_t i = 0; i < dist.size(); ++i)
    dist[i] = mask.bits[i] != 0 ? inf : 0;
  // Outside the image counts as foreground: "inf" for out-of-range reads.
  auto at = [&](int x, int y) {
    if (x < 0 || y < 0 || x >= w || y >= h)
      return inf;
    return dist[static_cast<std::size_t>(y) * w + x];
  };
  auto relax = [&](int x, int y, int candidate) {
    int& d = dist[static_cast<std::size_t>(y) * w + x];
    if (candidate < d)
      d = candidate;
  };
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      if (at(x, y) == 0)
        continue;
      relax(x, y, at(x - 1, y) + 3);
      relax(x, y, at(x, y - 1) + 3);
      relax(x, y, at(x - 1, y - 1) + 4);
      relax(x, y, at(x + 1, y - 1) + 4);
    }
  inscribed_circle best;
  int best_d = 0;
  for (int y = h - 1; y >= 0; --y)
    for (int x = w - 1; x >= 0; --x) {
      if (at(x, y) == 0)
        continue;
      relax(x, y, at(x + 1, y) + 3);
      relax(x, y, at(x, y + 1) + 3);
      relax(x, y, at(x + 1, y + 1) + 4);
      relax(x, y, at(x - 1, y + 1) + 4);
      const int d = at(x, y);
      if (d > best_d && d < inf) {
        best_d = d;
        best.centre = point{x, y};
      }
    }
  best.radius = best_d / 3.0;
  return best;
}

} // namespace tryon::ai
