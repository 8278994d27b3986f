#include "ai_service/hand_detector.hpp"

#include "ai_service/hand_contour.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace tryon::ai {

namespace {

/// A fingertip in analysis-image coordinates.
struct tip_candidate {
  double x = 0;
  double y = 0;
  double ux = 0; // unit axis, base -> tip
  double uy = 0;
  double width = 0; // finger width below the tip
  double reach = 0; // distance from the palm centre
};

// Local maxima of the (smoothed) distance from the palm centre along the
// contour. A tip must be far out (a finger, not the palm rim), away from
// the image border (where the arm leaves the frame), and on a protrusion
// narrower than the palm: its contour neighbours `span` steps away on
// either side are the two sides of one finger.
std::vector<tip_candidate> find_tips(const std::vector<point>& contour,
                                     const inscribed_circle& palm, int w, int h,
                                     const detector_options& opts) {
  std::vector<tip_candidate> tips;
  const auto n = static_cast<int>(contour.size());
  const double r = palm.radius;
  if (n < 16 || r < 2)
    return tips;
  auto wrap = [n](int i) { return ((i % n) + n) % n; };
  std::vector<double> dist(n);
  for (int i = 0; i < n; ++i)
    dist[i] =
        std::hypot(contour[i].x - palm.centre.x, contour[i].y - palm.centre.y);
  std::vector<double> smooth(n);
  for (int i = 0; i < n; ++i) {
    double s = 0;
    for (int j = -2; j <= 2; ++j)
      s += dist[wrap(i + j)];
    smooth[i] = s / 5;
  }
  const int window = std::max(3, static_cast<int>(std::lround(0.6 * r)));
  const int span = std::max(3, static_cast<int>(std::lround(0.9 * r)));
  for (int i = 0; i < n; ++i) {
    const point& p = contour[i];
    if (smooth[i] < opts.min_tip_distance * r || p.x <= 1 || p.y <= 1 ||
        p.x >= w - 2 || p.y >= h - 2)
      continue;
    // First point of a plateau: strictly above the left side, not below
    // the right side.
    bool peak = true;
    for (int j = 1; j <= window && peak; ++j)
      peak =
          smooth[wrap(i - j)] < smooth[i] && smooth[wrap(i + j)] <= smooth[i];
    if (!peak)
      continue;
    const point& a = contour[wrap(i - span)];
    const point& b = contour[wrap(i + span)];
    const double width = std::hypot(a.x - b.x, a.y - b.y) + 1.0;
    // The tip is the extremity along the finger's own axis (the farthest
    // point from the palm centre is off-axis on a finger that does not
    // point at the palm centre, e.g. the thumb): project the contour
    // around the peak onto the axis through the sides' midpoint and take
    // the centroid of the outermost points (the middle of a flat tip).
    const double mx = (a.x + b.x) / 2.0;
    const double my = (a.y + b.y) / 2.0;
    double ax = p.x - mx;
    double ay = p.y - my;
    double length = std::hypot(ax, ay);
    if (length <= 0)
      continue;
    double best = -1e9;
    for (int j = -span; j <= span; ++j) {
      const point& q = contour[wrap(i + j)];
      best = std::max(best, ((q.x - mx) * ax + (q.y - my) * ay) / length);
    }
    double tx = 0;
    double ty = 0;
    int count = 0;
    for (int j = -span; j <= span; ++j) {
      const point& q = contour[wrap(i + j)];
      if (((q.x - mx) * ax + (q.y - my) * ay) / length >= best - 0.75) {
        tx += q.x;
        ty += q.y;
        ++count;
      }
    }
    tx /= count;
    ty /= count;
    ax = tx - mx;
    ay = ty - my;
    length = std::hypot(ax, ay);
    if (width > 1.3 * r || length < 0.5 * width || length <= 0)
      continue;
    tips.push_back({tx, ty, ax / length, ay / length, width, smooth[i]});
  }
  // Non-maximum suppression: the farthest tips win, at most five.
  std::sort(tips.begin(), tips.end(),
            [](const auto& x, const auto& y) { return x.reach > y.reach; });
  std::vector<tip_candidate> kept;
  for (const auto& t : tips) {
    const bool clear = std::all_of(kept.begin(), kept.end(), [&](auto& k) {
      return std::hypot(k.x - t.x, k.y - t.y) > 0.4 * r;
    });
    if (clear)
      kept.push_back(t);
    if (kept.size() == 5)
      break;
  }
  return kept;
}

nail_placement place_nail(const tip_candidate& t, int factor) {
  const double s = factor;
  nail_placement n;
  n.tip_x = (t.x + 0.5) * s;
  n.tip_y = (t.y + 0.5) * s;
  n.ux = t.ux;
  n.uy = t.uy;
  const double width = t.width * s;
  // A nail plate is about 70 % of the finger's width and a bit longer than
  // wide; its free edge sits just inside the fingertip.
  n.half_width = 0.38 * width;
  n.half_length = 0.48 * width;
  const double back = n.half_length + 0.08 * width;
  n.cx = n.tip_x - n.ux * back;
  n.cy = n.tip_y - n.uy * back;
  return n;
}

} // namespace

double hand_confidence(double skin_fraction, int fingertips,
                       const detector_options& opts) {
  const double lo = opts.min_hand_fraction;
  const double hi = opts.max_hand_fraction;
  if (skin_fraction < lo || skin_fraction > hi)
    return 0;
  // 1 for a hand of 3 x min .. 60 % of the frame, ramps at both ends.
  double area = 1.0;
  if (skin_fraction < 3 * lo)
    area = (skin_fraction - lo) / (2 * lo);
  else if (skin_fraction > 0.6)
    area = 1.0 - 0.5 * (skin_fraction - 0.6) / (hi - 0.6);
  area = std::clamp(area, 0.0, 1.0);
  static constexpr double tip_score[] = {0.0, 0.45, 0.6, 0.75, 0.9, 1.0};
  const int tips = std::clamp(fingertips, 0, 5);
  if (tips == 0)
    return 0.15 * area;
  return std::clamp(area * (0.3 + 0.7 * tip_score[tips]), 0.0, 1.0);
}

hand_detection detect_hand(const rgb_image& frame,
                           const detector_options& opts) {
  hand_detection out;
  if (frame.empty())
    return out;
  const int long_side = std::max(frame.width, frame.height);
  const int max_side = std::max(16, opts.analysis_max_side);
  const int factor = std::max(1, (long_side + max_side - 1) / max_side);
  const rgb_image small = downscale(frame, factor);
  binary_mask mask = skin_mask(small, opts.skin);
  clean_mask(mask);
  const std::size_t area = keep_largest_component(mask);
  out.skin_fraction = static_cast<double>(area) /
                      (static_cast<double>(small.width) * small.height);
  if (out.skin_fraction < opts.min_hand_fraction ||
      out.skin_fraction > opts.max_hand_fraction)
    return out;
  out.found = true;
  const inscribed_circle palm = largest_inscribed_circle(mask);
  out.palm_radius = palm.radius * factor;
  const auto tips = find_tips(trace_outer_contour(mask), palm, small.width,
                              small.height, opts);
  for (const auto& t : tips)
    out.nails.push_back(place_nail(t, factor));
  out.confidence = hand_confidence(out.skin_fraction,
                                   static_cast<int>(out.nails.size()), opts);
  return out;
}

} // namespace tryon::ai
