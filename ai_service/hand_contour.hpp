#pragma once

#include "ai_service/skin_mask.hpp"

#include <vector>

namespace tryon::ai {

/// A pixel position in the analysis image.
struct point {
  int x = 0;
  int y = 0;
};

/// The outer boundary of the (single) component in `mask`, as an ordered,
/// closed, 8-connected chain of foreground pixels, clockwise on screen
/// (Moore-neighbour tracing, stopping when the first step repeats).
/// Empty for an empty mask.
std::vector<point> trace_outer_contour(const binary_mask& mask);

/// The largest inscribed circle of the foreground, found with a 3-4 chamfer
/// distance transform: its centre approximates the palm centre.
struct inscribed_circle {
  point centre;
  double radius = 0; ///< in pixels (chamfer distance / 3)
};

/// Largest inscribed circle of the foreground of `mask`. Pixels outside the
/// image count as foreground, so a wrist cut by the border is not mistaken
/// for a narrow part.
inscribed_circle largest_inscribed_circle(const binary_mask& mask);

} // namespace tryon::ai
