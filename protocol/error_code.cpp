#include "protocol/error_code.hpp"

#include <array>
#include <utility>

namespace tryon::protocol {

namespace {

constexpr std::array<std::pair<error_code, std::string_view>, 13> names{{
    {error_code::invalid_session, "INVALID_SESSION"},
    {error_code::ai_service_unavailable, "AI_SERVICE_UNAVAILABLE"},
    {error_code::init_failed, "INIT_FAILED"},
    {error_code::processing_failed, "PROCESSING_FAILED"},
    {error_code::frame_processing_failed, "FRAME_PROCESSING_FAILED"},
    {error_code::session_expired, "SESSION_EXPIRED"},
    {error_code::invalid_json, "INVALID_JSON"},
    {error_code::unknown_message_type, "UNKNOWN_MESSAGE_TYPE"},
    {error_code::invalid_frame_header, "INVALID_FRAME_HEADER"},
    {error_code::frame_too_large, "FRAME_TOO_LARGE"},
    {error_code::not_initialized, "NOT_INITIALIZED"},
    {error_code::nothing_to_capture, "NOTHING_TO_CAPTURE"},
    {error_code::rate_limited, "RATE_LIMITED"},
}};

} // namespace

std::string_view to_string(error_code code) {
  for (const auto& [c, name] : names)
    if (c == code)
      return name;
  // Only reachable with a value cast from an out-of-range integer.
  return "PROCESSING_FAILED";
}

std::optional<error_code> error_code_from_string(std::string_view name) {
  for (const auto& [c, n] : names)
    if (n == name)
      return c;
  return std::nullopt;
}

bool is_recoverable(error_code code) {
  return code != error_code::ai_service_unavailable &&
         code != error_code::session_expired;
}

} // namespace tryon::protocol
