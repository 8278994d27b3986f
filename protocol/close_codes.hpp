#pragma once

#include <cstdint>

/// WebSocket close codes used on `/ws/try-on/<uuid>/` (PROTOCOL.md §3).
namespace tryon::protocol::close_code {

/// Clean close by either side.
constexpr std::uint16_t normal = 1000;

/// Server shutting down.
constexpr std::uint16_t going_away = 1001;

/// This node is draining (SIGTERM): the session lives on, reconnect (a load
/// balancer sends the client to another node, which takes the session).
constexpr std::uint16_t service_restart = 1012;

/// The session ended on an unrecoverable server-side error (AI unavailable).
constexpr std::uint16_t internal_error = 1011;

/// The client broke the protocol's limits (e.g. flooded the outgoing queue).
constexpr std::uint16_t policy_violation = 1008;

/// No valid token.
constexpr std::uint16_t unauthorized = 4001;

/// The session belongs to another user.
constexpr std::uint16_t forbidden = 4003;

/// Unknown session (sent after accepting the upgrade).
constexpr std::uint16_t not_found = 4004;

/// The session is past `expires_at`.
constexpr std::uint16_t expired = 4008;

/// A newer connection took over the session; do not reconnect.
constexpr std::uint16_t replaced = 4009;

} // namespace tryon::protocol::close_code
