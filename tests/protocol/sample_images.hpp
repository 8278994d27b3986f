#pragma once

#include <string>

// Leading bytes of real files, enough for sniffing; the rest is filler.

namespace tryon::protocol::test {

using namespace std::string_literals;

/// JPEG/JFIF: SOI, APP0 marker, "JFIF\0".
inline const std::string jpeg_bytes =
    "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"s;

/// PNG signature followed by the IHDR chunk start.
inline const std::string png_bytes =
    "\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"s;

/// WebP: RIFF, little-endian size, "WEBP", then a VP8 chunk.
inline const std::string webp_bytes =
    "RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"s;

} // namespace tryon::protocol::test
