#pragma once

#include "protocol/frame_header.hpp"
#include "protocol/parse_error.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tryon::protocol {

/// The JSON header of a camera frame sent by a client (PROTOCOL.md §3).
struct client_frame_header {
  /// Client-chosen frame number; replies never go backwards in it.
  std::int64_t sequence = 0;
  /// Capture time in ms since the epoch, if the client sent one.
  std::optional<std::int64_t> timestamp;
  /// Image width in pixels, if sent.
  std::optional<int> width;
  /// Image height in pixels, if sent.
  std::optional<int> height;
  /// "jpeg" or "webp", always matching the image bytes after decoding.
  std::string format;
};

/// Validates a client binary message and returns its header. Fails with
/// `frame_too_large` above `max_frame_size`, else `invalid_frame_header`
/// for a short message, a non-object header, a missing or non-integer
/// `sequence`, an ill-typed optional field, no image bytes, image bytes that
/// are not JPEG or WebP, or a `format` that disagrees with the bytes.
parse_result<client_frame_header>
decode_client_frame(std::string_view message, std::size_t max_frame_size);

/// Builds a client binary message (header block + image). An empty `format`
/// is left out. Empty if the header does not fit in 1024 bytes.
std::string encode_client_frame(const client_frame_header& header,
                                std::string_view image);

} // namespace tryon::protocol
