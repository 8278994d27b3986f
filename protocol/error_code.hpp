#pragma once

#include <optional>
#include <string_view>

namespace tryon::protocol {

/// Error codes sent to clients in `{"type":"error","code":...}` messages.
enum class error_code {
  invalid_session,
  ai_service_unavailable,
  init_failed,
  processing_failed,
  frame_processing_failed,
  session_expired,
  invalid_json,
  unknown_message_type,
  invalid_frame_header,
  frame_too_large,
  not_initialized,
  nothing_to_capture,
  /// A per-user or per-session limit was hit (docs/SECURITY.md); the
  /// message says when to try again. An addition to PROTOCOL.md.
  rate_limited,
};

/// Returns the wire name of `code`, e.g. "INVALID_SESSION".
std::string_view to_string(error_code code);

/// Returns the code whose wire name is `name` (exact, upper case), if any.
std::optional<error_code> error_code_from_string(std::string_view name);

/// Returns false only for AI_SERVICE_UNAVAILABLE and SESSION_EXPIRED.
bool is_recoverable(error_code code);

} // namespace tryon::protocol
