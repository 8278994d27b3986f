#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tryon::imaging {

/// Width and height of an image, pixels.
struct image_size {
  int width = 0;
  int height = 0;
};

/// A JPEG's dimensions from its header; nullopt when it is not a JPEG.
std::optional<image_size> jpeg_size(std::string_view jpeg);

/// A thumbnail image.
struct thumbnail {
  std::string jpeg; ///< JPEG bytes
  image_size size;  ///< its dimensions
};

/// The size a thumbnail of `source` gets: the longest side becomes
/// `longest_side`, the aspect ratio is kept (each side at least 1), and an
/// image already small enough keeps its size (never upscaled).
image_size thumbnail_size(image_size source, int longest_side);

/// Decodes `jpeg` at the smallest TurboJPEG scale not below the target
/// (so large frames are never decoded in full), resamples to
/// thumbnail_size() and encodes it as JPEG at `quality`. Fails (nullopt,
/// `error` says why) on anything but a complete, valid JPEG.
std::optional<thumbnail> make_thumbnail(std::string_view jpeg, int longest_side,
                                        std::string& error, int quality = 80);

} // namespace tryon::imaging
