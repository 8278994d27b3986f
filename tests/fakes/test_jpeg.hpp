#pragma once

#include <string>
#include <vector>

namespace tryon::fakes {

/// Encodes w x h RGB pixels (3 bytes each, rows top down) as a 4:2:0 JPEG.
std::string encode_jpeg(const std::vector<unsigned char>& rgb, int w, int h,
                        int quality = 85);

/// A real JPEG of w x h pixels: a gradient, or one flat colour when
/// `flat_rgb` is given as 0xRRGGBB.
std::string make_jpeg(int w, int h, int flat_rgb = -1);

/// Decodes a JPEG to RGB (for checks); empty on failure. `w`/`h` receive
/// the size.
std::string decode_jpeg(const std::string& jpeg, int& w, int& h);

} // namespace tryon::fakes
