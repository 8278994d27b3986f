#pragma once

#include <cstddef>
#include <string_view>

namespace tryon::protocol {

/// Image container recognised from its leading bytes.
enum class image_kind { unknown, jpeg, png, webp };

/// Bytes `sniff_image` needs at most to decide (the WebP RIFF header).
constexpr std::size_t sniff_bytes = 12;

/// Identifies JPEG, PNG or WebP from magic bytes; unknown if too short.
image_kind sniff_image(std::string_view first_bytes);

/// MIME type, e.g. "image/jpeg"; "application/octet-stream" for unknown.
std::string_view content_type(image_kind kind);

/// File extension with the dot, e.g. ".jpg"; empty for unknown.
std::string_view file_extension(image_kind kind);

/// Wire `format` name: "jpeg", "png" or "webp"; empty for unknown.
std::string_view format_name(image_kind kind);

} // namespace tryon::protocol
