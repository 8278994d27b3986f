#include "net/ws_admission.hpp"

#include <spdlog/spdlog.h>

#include "net/http_types.hpp"
#include "protocol/close_codes.hpp"
#include "protocol/uuid.hpp"

namespace tryon::net {

namespace {

/// Who the peer is and which session it may join, or the close code.
ws_admission check_owner(rest::rest_context& ctx, const ws_upgrade& upgrade) {
  ws_admission out;
  http_request r;
  r.target = upgrade.target;
  split_target(r);
  if (!upgrade.authorization.empty())
    r.headers.emplace_back("authorization", upgrade.authorization);
  auto who = rest::authenticate(ctx, r, /*allow_query=*/true);
  auto* user = std::get_if<persistence::user>(&who);
  if (!user) {
    out.close_code = protocol::close_code::unauthorized;
    return out;
  }
  // A malformed id cannot name a session: no query for it.
  auto rec = protocol::is_canonical_uuid(upgrade.session_id)
                 ? ctx.sessions.find_session(upgrade.session_id)
                 : std::nullopt;
  if (!rec) {
    out.close_code = protocol::close_code::not_found;
  } else if (rec->user_id != user->id) {
    out.close_code = protocol::close_code::forbidden;
  } else if (rec->expires_at <= persistence::now_us()) {
    out.close_code = protocol::close_code::expired;
    out.error = protocol::error_code::session_expired;
    out.error_text = "Session expired";
  } else {
    out.info = actors::session_info{rec->id,
                                    rec->user_id,
                                    rec->mode,
                                    rec->nail_reference_url,
                                    rec->nail_reference_post_id,
                                    rec->status,
                                    rec->expires_at};
  }
  return out;
}

} // namespace

ws_admission admit_ws(rest::rest_context& ctx, const ws_upgrade& upgrade,
                      const ws_attach& attach) {
  ws_admission out;
  try {
    out = check_owner(ctx, upgrade);
  } catch (const std::exception& e) {
    spdlog::error("ws {}: authorisation failed: {}", upgrade.session_id,
                  e.what());
    out = ws_admission{};
    out.close_code = protocol::close_code::internal_error;
    return out;
  }
  if (!out.info)
    return out;
  // One user's live sessions are bounded (docs/SECURITY.md), counted
  // across nodes: beyond, RATE_LIMITED and close 1008.
  if (ctx.live_sessions && ctx.cfg.max_live_sessions_per_user > 0) {
    if (!ctx.live_sessions->acquire(out.info->user_id, out.info->id,
                                    out.info->expires_at_us,
                                    ctx.cfg.max_live_sessions_per_user)) {
      out.info.reset();
      out.close_code = protocol::close_code::policy_violation;
      out.error = protocol::error_code::rate_limited;
      out.error_text = "Too many live sessions: close another one first";
      return out;
    }
    out.holds_live_slot = true;
  }
  out.inbox = attach(*out.info);
  if (!out.inbox) {
    out.close_code = protocol::close_code::service_restart;
    if (out.holds_live_slot) {
      ctx.live_sessions->release(out.info->user_id, out.info->id);
      out.holds_live_slot = false;
    }
  }
  return out;
}

} // namespace tryon::net
