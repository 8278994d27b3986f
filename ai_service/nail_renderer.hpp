#pragma once

#include "ai_service/hand_detector.hpp"
#include "ai_service/nail_design.hpp"
#include "ai_service/rgb_image.hpp"

#include <vector>

namespace tryon::ai {

/// Paints `design` onto each nail ellipse of `frame`: the tile is stretched
/// over the ellipse (tip at the tile's top), modulated by the finger's own
/// shading, given a specular streak, and blended in with a feathered edge
/// so there is no hard cut-out line. Pixels outside the ellipses are not
/// touched.
void render_nails(rgb_image& frame, const std::vector<nail_placement>& nails,
                  const nail_design& design);

} // namespace tryon::ai
