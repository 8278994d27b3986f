#pragma once

#include "protocol/error_code.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Builders for the server -> client text messages of PROTOCOL.md §3. Each
// returns the JSON text, "type" first, ready to send.

namespace tryon::protocol {

/// Wall-clock milliseconds since the Unix epoch (the wire `timestamp`).
std::int64_t now_ms();

/// The `config` object of `session_ready`.
struct stream_config {
  /// Frame rate the client should aim for.
  int target_fps = 25;
  /// Largest frame the client should send, e.g. "720p".
  std::string max_resolution = "720p";
  /// Image formats accepted in client frames.
  std::vector<std::string> supported_formats{"webp", "jpeg"};
};

/// `session_ready`: the AI session is open; `mode` is "explore" or "upload".
std::string session_ready(std::string_view session_id,
                          std::string_view nail_reference_url,
                          std::string_view mode, const stream_config& config,
                          std::int64_t ts_ms);

/// `processed_frame` metadata, sent just before the processed image.
std::string processed_frame(std::int64_t sequence, std::int64_t ts_ms,
                            double processing_time_ms, double confidence,
                            std::string_view format,
                            std::int64_t dropped_frames);

/// `error` with its wire code and `recoverable` derived from the code.
std::string error_message(error_code code, std::string_view message,
                          std::int64_t ts_ms);

/// `pong` echoing the ping's timestamp value unchanged.
std::string pong(const nlohmann::json& timestamp);

/// What a `stream_hint` suggests (docs/stream_hints.md).
struct stream_suggestion {
  int fps = 25;          ///< frames per second, at most
  int jpeg_quality = 80; ///< encoder quality, 30..90
  int max_width = 1280;  ///< frame width in pixels, at most
  friend bool operator==(const stream_suggestion& a,
                         const stream_suggestion& b) {
    return a.fps == b.fps && a.jpeg_quality == b.jpeg_quality &&
           a.max_width == b.max_width;
  }
  friend bool operator!=(const stream_suggestion& a,
                         const stream_suggestion& b) {
    return !(a == b);
  }
};

/// `stream_hint` to a client that asked for hints; `reason` is "ai",
/// "uplink" or "clear".
std::string stream_hint(const stream_suggestion& s, std::string_view reason,
                        std::int64_t ts_ms);

/// `frame_saved` naming the id of the new try-on result.
std::string frame_saved(std::int64_t try_on_id, std::int64_t ts_ms);

} // namespace tryon::protocol
