#pragma once

#include "ai_service/pipeline_error.hpp"
#include "ai_service/rgb_image.hpp"

#include <string>
#include <string_view>

namespace tryon::ai {

/// Side of the square texture tile a design keeps.
constexpr int design_tile_size = 32;

/// A nail design: the reference's mean colour plus a small texture tile
/// that is stretched over each nail.
struct nail_design {
  rgb mean;
  rgb_image tile; ///< design_tile_size x design_tile_size
};

/// A design and, when it is the built-in default, why.
struct derived_design {
  nail_design design;
  std::string fallback_reason; ///< empty unless the default was used
};

/// The built-in design (a glossy red-pink) used when a reference image
/// cannot be read.
nail_design default_design();

/// The design of a decoded reference image: the centre 60 % of it (where
/// a product photo has its subject), shrunk to a tile, and its mean.
nail_design design_from_image(const rgb_image& reference);

/// Decodes reference bytes (JPEG at a reduced scale) and derives the
/// design. A PNG that cannot be decoded yields the default design with a
/// reason; any other undecodable data is an error.
pipeline_result<derived_design> derive_design(std::string_view image_bytes);

/// A demo nail design: a glossy magenta-to-violet gradient with a grid of
/// small white dots, `size` x `size`.
rgb_image make_demo_design(int size = 256);

} // namespace tryon::ai
