// What the session actor tells others: error messages to its client,
// status and figures to the persister, counts to the node metrics, and how
// it ends.

#include "actors/session_actor.hpp"
#include "protocol/close_codes.hpp"
#include "protocol/server_message.hpp"

namespace tryon::actors {

void session_state::send_error(protocol::error_code code,
                               const std::string& message) {
  std::string name{protocol::to_string(code)};
  stats.errors[name]++;
  if (env.metrics)
    env.metrics->add_error(name);
  if (peer)
    peer->send_text(protocol::error_message(code, message, protocol::now_ms()));
}

void session_state::send_rate_limited(const std::string& what,
                                      double retry_after_s) {
  auto n = persistence::retry_after_seconds(retry_after_s);
  send_error(protocol::error_code::rate_limited,
             what + ": try again in " + std::to_string(n) +
                 (n == 1 ? " second" : " seconds"));
}

void session_state::persist_status(const char* status) {
  self_->send(env.persister, p_status_atom::value, info.id,
              std::string{status});
}

std::uint64_t session_state::undelivered() const {
  return pipeline.accepted() - pipeline.delivered() - pipeline.dropped();
}

void session_state::persist_stats(bool final) {
  auto dropped = pipeline.dropped() + (final ? undelivered() : 0);
  auto text =
      stats.to_json(pipeline.accepted(), pipeline.delivered(), dropped).dump();
  // An idle session's figures do not change: skip the identical write (1,000
  // idle sessions made 100 database writes a second, docs/PERFORMANCE.md).
  if (!final && text == persisted_stats)
    return;
  persisted_stats = text;
  self_->send(env.persister, p_stats_atom::value, info.id, std::move(text));
}

void session_state::publish_counts() {
  auto* m = env.metrics;
  if (!m)
    return;
  auto push = [](std::uint64_t now, std::uint64_t& seen, auto add) {
    if (now > seen) {
      add(now - seen);
      seen = now;
    }
  };
  push(stats.frames_received, reported.received,
       [m](std::uint64_t n) { m->add_received(n); });
  push(stats.frames_rejected, reported.rejected,
       [m](std::uint64_t n) { m->add_rejected(n); });
  push(pipeline.delivered(), reported.processed,
       [m](std::uint64_t n) { m->add_processed(n); });
  push(pipeline.dropped(), reported.dropped,
       [m](std::uint64_t n) { m->add_dropped(n); });
}

void session_state::hand_off_when_answered(bool holds_ai) {
  // Node shutdown (drain): every capture is answered, the figures are
  // written, but the session is not ended: its status stays, the lease
  // keeper releases its lease, and the client is told to reconnect (1012),
  // which lands it on another node (or on this one once restarted).
  if (captures_pending == 0)
    finish(session_end::handed_off, protocol::close_code::service_restart,
           holds_ai);
}

void session_state::finish(session_end how,
                           std::optional<std::uint16_t> close_code,
                           bool holds_ai) {
  settle_in_flight();
  leave_credits(); // a credit this session waits for goes to the next one
  sync_writer();   // the last frame's end-to-end latency
  if (holds_ai) {
    if (how == session_end::completed || how == session_end::failed)
      self_->send(env.ai_link, ai_close_atom::value, info.id);
    else // the node taking the client over may reuse the AI session
      self_->send(env.ai_link, ai_forget_atom::value, info.id);
  }
  if (how == session_end::completed || how == session_end::failed)
    persist_status(how == session_end::failed ? "error" : "completed");
  if (how != session_end::moved)
    persist_stats(true);
  publish_counts();
  if (env.metrics)
    env.metrics->add_dropped(undelivered());
  if (peer && close_code)
    peer->close(*close_code);
  peer.reset();
  ai = {}; // the channel must not outlive the transport through us
  self_->quit();
}

} // namespace tryon::actors
