#pragma once

#include "ai_service/pipeline_error.hpp"
#include "ai_service/rgb_image.hpp"

#include <string>
#include <string_view>

namespace tryon::ai {

/// Container format recognised from an image's magic bytes.
enum class image_format { unknown, jpeg, png, webp };

/// Largest width or height the decoders accept (a memory guard).
constexpr int max_image_side = 8192;

/// Recognises JPEG, PNG and WebP by their leading bytes.
image_format detect_format(std::string_view bytes);

/// True when this build decodes PNG (libpng was found at configure time).
bool png_supported();

/// Decodes JPEG, WebP or (if supported) PNG to RGB. With `min_side` > 0 a
/// JPEG is decoded at the smallest TurboJPEG scale that keeps both sides
/// >= `min_side` (scaled IDCT: much cheaper than decoding then shrinking).
/// Corrupt data (including JPEG warnings such as a truncated scan) fails.
pipeline_result<rgb_image> decode_image(std::string_view bytes,
                                        int min_side = 0);

/// Encodes as baseline JPEG, 4:2:0, `quality` in [1, 100].
pipeline_result<std::string> encode_jpeg(const rgb_image& img, int quality);

} // namespace tryon::ai
