#pragma once

#include <vector>

#include "imaging/thumbnail.hpp"

namespace tryon::imaging {

/// Shrinks packed 8-bit RGB pixels from `from` to `to` by averaging the
/// source area each target pixel covers (box filter). `to` must not be
/// larger than `from` in either dimension.
std::vector<unsigned char> shrink_rgb(const std::vector<unsigned char>& rgb,
                                      image_size from, image_size to);

} // namespace tryon::imaging
