#pragma once

#include "protocol/parse_error.hpp"

#include <nlohmann/json.hpp>

#include <string_view>
#include <variant>

namespace tryon::protocol {

/// `{"type":"init_session"}`: open the AI session and start streaming.
/// Optional `capabilities` (array of strings; unknown ones ignored) say what
/// the client understands beyond the original protocol.
struct init_session_msg {
  /// "stream_hints": the client follows `stream_hint` messages
  /// (docs/stream_hints.md).
  bool stream_hints = false;
};

/// `{"type":"control","action":"pause"|"resume"}`.
struct control_msg {
  /// What the client asks for.
  enum class action { pause, resume };
  /// The requested action.
  action act = action::pause;
};

/// `{"type":"capture"}`: save the latest processed frame as a result.
struct capture_msg {};

/// `{"type":"ping","timestamp":<number>}`; the timestamp is echoed untouched.
struct ping_msg {
  /// The number the client sent, echoed in the pong.
  nlohmann::json timestamp;
};

/// Any text message a client may send on the try-on WebSocket.
using client_message =
    std::variant<init_session_msg, control_msg, capture_msg, ping_msg>;

/// Parses a client text message. Not a JSON object: `invalid_json`; missing,
/// non-string or unknown `type`: `unknown_message_type`; `control` without
/// a valid `action`, `ping` without a numeric `timestamp`, or
/// `init_session` whose `capabilities` is not an array of strings:
/// `invalid_json`.
parse_result<client_message> parse_client_message(std::string_view text);

} // namespace tryon::protocol
