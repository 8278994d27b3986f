#pragma once

#include "protocol/parse_error.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Binary frame layout, shared by client frames and both AI-link directions:
//
//   0                                   1024                        size
//   +-----------------------------------+---------------------------+
//   | UTF-8 JSON object | NUL padding   | image bytes (JPEG/WebP)   |
//   +-----------------------------------+---------------------------+
//
// The JSON ends at the first NUL; a JSON text of exactly 1024 bytes needs
// no NUL at all. Bytes after the first NUL inside the block are ignored.

namespace tryon::protocol {

/// Size of the NUL-padded JSON block at the start of every binary frame.
constexpr std::size_t frame_header_size = 1024;

/// Dumps `obj` and pads it with NULs to exactly 1024 bytes; nullopt if the
/// dump is longer than 1024 bytes.
std::optional<std::string> encode_header_block(const nlohmann::json& obj);

/// Reads the JSON object in the first 1024 bytes of `message`; fails with
/// `invalid_frame_header` if the message is shorter or the JSON is invalid
/// or not an object.
parse_result<nlohmann::json> decode_header_block(std::string_view message);

/// The bytes after the header block (empty if the message is shorter).
std::string_view frame_image(std::string_view message);

/// Header block + image; empty if the header does not fit in 1024 bytes.
std::string encode_frame(const nlohmann::json& header, std::string_view image);

} // namespace tryon::protocol
