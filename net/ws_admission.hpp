#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "actors/ports.hpp"
#include "net/rest/rest_context.hpp"
#include "protocol/error_code.hpp"

namespace tryon::net {

/// What a WebSocket upgrade carries that decides whether it may join its
/// session.
struct ws_upgrade {
  std::string target;        ///< the request target (may hold ?token=)
  std::string authorization; ///< the Authorization header; may be empty
  std::string session_id;    ///< the <uuid> of /ws/try-on/<uuid>/
};

/// The decision for one upgraded connection (PROTOCOL.md section 3).
struct ws_admission {
  /// 0: admitted; otherwise the close code to send (4001, 4003, 4004,
  /// 4008, 1008 over the live-session limit, 1011 on a store failure,
  /// 1012 while the node stops).
  std::uint16_t close_code = 0;
  /// The session, once found and owned by the caller (kept when the
  /// gateway refuses, so the access log still names the user).
  std::optional<actors::session_info> info;
  /// Where the transport feeds the client's messages; set when admitted.
  std::shared_ptr<actors::client_inbox> inbox;
  /// An error message to send before the close (SESSION_EXPIRED,
  /// RATE_LIMITED), with its text.
  std::optional<protocol::error_code> error;
  std::string error_text;
  /// The connection holds one of its user's live-session slots and
  /// releases it when it ends.
  bool holds_live_slot = false;
};

/// Attaches an admitted session to its actor (session_gateway::attach with
/// the connection as peer); null when the node is stopping.
using ws_attach = std::function<std::shared_ptr<actors::client_inbox>(
    const actors::session_info&)>;

/// Decides an upgrade: the token (header or ?token=), then the session
/// (none looked up for an unauthenticated peer), its owner and expiry, then
/// a live-session slot of the user, then `attach`. A slot taken for a
/// session the gateway then refuses is given back. Blocking (database,
/// Redis): runs on the blocking pool; Beast-free so it is unit-tested.
ws_admission admit_ws(rest::rest_context& ctx, const ws_upgrade& upgrade,
                      const ws_attach& attach);

} // namespace tryon::net
