#pragma once

#include "protocol/frame_header.hpp"
#include "protocol/parse_error.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

// Messages on the server <-> AI service link (PROTOCOL.md §4). Every message
// names its session, so one connection carries many sessions:
//
//   server                                   AI service
//     | -- init_session (text) ------------------> |
//     | <-------- session_initialized | error ---- |
//     | -- header{session_id,sequence,..}+image -> |
//     | <-- header{type:processed_frame,..}+image  |
//     | <-------------------- frame_error (text) - |
//     | -- close_session (text) -----------------> |
//
// Malformed text fails with `invalid_json` (or `unknown_message_type` for a
// missing/unknown "type"); malformed binary with `invalid_frame_header`.

namespace tryon::protocol {

// -- server side: build requests, parse replies -------------------------------

/// `init_session` for the AI service; `post_id` is null when absent.
std::string ai_init_session(std::string_view session_id,
                            std::string_view nail_url,
                            std::optional<std::int64_t> post_id);

/// `close_session` for the AI service.
std::string ai_close_session(std::string_view session_id);

/// Binary frame to the AI service; empty if the header exceeds 1024 bytes.
std::string encode_ai_frame(std::string_view session_id, std::int64_t sequence,
                            std::int64_t timestamp, std::string_view format,
                            std::string_view image);

/// The AI service opened a session.
struct ai_session_initialized {
  /// Session the reply is for.
  std::string session_id;
};

/// The AI service could not open (or lost) a session.
struct ai_session_error {
  /// Session the error is for.
  std::string session_id;
  /// Error code chosen by the AI service (empty if it sent none).
  std::string code;
  /// Readable reason (empty if it sent none).
  std::string message;
};

/// The AI service failed on one frame; the session goes on.
struct ai_frame_error {
  /// Session the frame belongs to.
  std::string session_id;
  /// Sequence of the failed frame.
  std::int64_t sequence = 0;
  /// Error code chosen by the AI service (empty if it sent none).
  std::string code;
  /// Readable reason (empty if it sent none).
  std::string message;
};

/// How many frames the AI service takes on at once on this connection, for
/// all its sessions together (AI credits, docs/protocol.md section 4); 0:
/// no limit. Sent at any time, first right after the handshake.
struct ai_capacity {
  std::size_t frames = 0;
};

/// The largest capacity accepted (a bound for a hostile AI service).
inline constexpr std::int64_t max_ai_capacity = 4096;

/// Any text message the AI service sends.
using ai_event = std::variant<ai_session_initialized, ai_session_error,
                              ai_frame_error, ai_capacity>;

/// Parses a text message from the AI service.
parse_result<ai_event> parse_ai_event(std::string_view text);

/// Header of a processed frame coming back from the AI service.
struct ai_processed_header {
  /// Session the frame belongs to.
  std::string session_id;
  /// Sequence of the client frame this answers.
  std::int64_t sequence = 0;
  /// Detection confidence in [0, 1] (0 if not sent).
  double confidence = 0.0;
  /// Time the AI service spent on the frame (0 if not sent).
  double processing_time_ms = 0.0;
  /// Image format; sniffed from the bytes if the header has none.
  std::string format;
};

/// Validates a processed frame from the AI service (image = frame_image()).
parse_result<ai_processed_header>
decode_ai_processed_frame(std::string_view message);

// -- AI-service side: parse requests, build replies ---------------------------

/// `init_session` as received by the AI service.
struct ai_init_request {
  /// Session to open.
  std::string session_id;
  /// URL of the nail design image.
  std::string nail_url;
  /// Post the design comes from, if any.
  std::optional<std::int64_t> post_id;
  /// `nail_reference.metadata` (an object; empty if absent).
  nlohmann::json metadata;
};

/// `close_session` as received by the AI service.
struct ai_close_request {
  /// Session to close.
  std::string session_id;
};

/// Any text message the server sends to the AI service.
using ai_request = std::variant<ai_init_request, ai_close_request>;

/// Parses a text message from the server.
parse_result<ai_request> parse_ai_request(std::string_view text);

/// Header of a frame sent by the server to the AI service.
struct ai_frame_request_header {
  /// Session the frame belongs to.
  std::string session_id;
  /// Client sequence number.
  std::int64_t sequence = 0;
  /// Capture time in ms (0 if not sent).
  std::int64_t timestamp = 0;
  /// Image format; sniffed from the bytes if the header has none.
  std::string format;
};

/// Validates a frame from the server (image = frame_image()).
parse_result<ai_frame_request_header>
decode_ai_frame_request(std::string_view message);

/// Binary processed frame; empty if the header exceeds 1024 bytes.
std::string encode_ai_processed_frame(const ai_processed_header& header,
                                      std::string_view image);

/// `session_initialized` reply.
std::string ai_session_initialized_msg(std::string_view session_id);

/// `{"type":"capacity","frames":N}` (AI credits).
std::string ai_capacity_msg(std::size_t frames);

/// `error` reply to `init_session` (or a session-wide failure).
std::string ai_session_error_msg(std::string_view session_id,
                                 std::string_view code,
                                 std::string_view message);

/// `frame_error` for one failed frame.
std::string ai_frame_error_msg(std::string_view session_id,
                               std::int64_t sequence, std::string_view code,
                               std::string_view message);

} // namespace tryon::protocol
