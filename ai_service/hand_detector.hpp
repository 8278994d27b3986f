#pragma once

#include "ai_service/rgb_image.hpp"
#include "ai_service/skin_mask.hpp"

#include <vector>

namespace tryon::ai {

/// One nail to paint: an ellipse in full-frame pixel coordinates.
struct nail_placement {
  double tip_x = 0; ///< fingertip (outermost contour point)
  double tip_y = 0;
  double cx = 0; ///< ellipse centre
  double cy = 0;
  double ux = 0; ///< unit vector along the finger, towards the tip
  double uy = -1;
  double half_length = 0; ///< semi-axis along the finger
  double half_width = 0;  ///< semi-axis across the finger
};

/// What the detector found in one frame.
struct hand_detection {
  bool found = false;       ///< a skin component large enough for a hand
  double skin_fraction = 0; ///< that component's share of the frame
  double palm_radius = 0;   ///< largest inscribed circle, full-frame px
  std::vector<nail_placement> nails; ///< at most 5
  double confidence = 0;             ///< in [0, 1]
};

/// Tuning knobs; the defaults suit a hand filling 5-60 % of a webcam frame.
struct detector_options {
  int analysis_max_side = 320;     ///< the frame is box-shrunk to this
  double min_hand_fraction = 0.02; ///< smaller components are "no hand"
  double max_hand_fraction = 0.85; ///< larger ones are a wall, not a hand
  double min_tip_distance = 1.5;   ///< tip must be this many palm radii out
  skin_thresholds skin{};
};

/// Finds the hand and its fingertips in `frame` (see docs/ai_service.md):
/// skin box in YCbCr on a shrunk copy, largest component, palm = largest
/// inscribed circle, fingertips = prominent local maxima of the distance
/// from the palm centre along the outer contour, away from the border.
hand_detection detect_hand(const rgb_image& frame,
                           const detector_options& opts = {});

/// Confidence from the evidence: hand-sized skin area and fingertip count.
double hand_confidence(double skin_fraction, int fingertips,
                       const detector_options& opts = {});

} // namespace tryon::ai
