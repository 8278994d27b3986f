#include "actors/capture_supervisor.hpp"

#include <chrono>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

namespace tryon::actors {

namespace {

using supervisor = caf::stateful_actor<capture_supervisor_state>;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// The worker: one blocking save per message, answered with (id, error).
caf::behavior make_capture_worker(caf::event_based_actor*,
                                  capture_saver* saver) {
  return {
      [=](cap_job_atom, const capture_request& req) {
        auto out = saver->save(req);
        return caf::make_message(out.id.value_or(-1), out.error);
      },
  };
}

/// Quits with the worker (which is idle: nothing is pending).
void stop(supervisor* self) {
  self->send_exit(self->state.worker, caf::exit_reason::user_shutdown);
  self->quit();
}

// A user's share of the queue is held until a capture is retried this
// long after (the queue drains one capture at a time).
constexpr std::int64_t share_retry_ms = 1000;

void answered(supervisor* self, std::int64_t user_id, bool saved) {
  auto& st = self->state;
  st.pending--;
  if (auto it = st.pending_by_user.find(user_id);
      it != st.pending_by_user.end() && --it->second == 0)
    st.pending_by_user.erase(it);
  if (st.metrics)
    st.metrics->capture_finished(saved);
  if (st.draining && st.pending == 0)
    stop(self);
}

void accept(supervisor* self, capture_request req, const caf::actor& session) {
  auto& st = self->state;
  auto seq = req.sequence;
  auto user_id = req.user_id;
  if (st.draining) {
    self->send(session, capture_fail_atom::value,
               std::string{"server shutting down"}, seq);
    return;
  }
  if (st.pending >= st.max_pending) {
    if (st.metrics)
      st.metrics->capture_rejected();
    self->send(session, capture_fail_atom::value, std::string{"busy"}, seq);
    return;
  }
  // One user's burst must not fill the node's queue (others would get
  // "busy"): each user holds at most their share of it.
  auto& mine = st.pending_by_user[user_id];
  if (st.max_pending_per_user > 0 && mine >= st.max_pending_per_user) {
    if (st.metrics)
      st.metrics->capture_rejected();
    self->send(session, capture_limited_atom::value, share_retry_ms, seq);
    return;
  }
  mine++;
  st.pending++;
  if (st.metrics)
    st.metrics->capture_queued();
  self->request(st.worker, caf::infinite, cap_job_atom::value, std::move(req))
      .then(
          [=](std::int64_t id, const std::string& error) {
            if (id > 0)
              self->send(session, capture_ok_atom::value, id, seq);
            else
              self->send(session, capture_fail_atom::value, error, seq);
            answered(self, user_id, id > 0);
          },
          [=](caf::error& err) {
            spdlog::error("capture worker failed: {}",
                          self->system().render(err));
            self->send(session, capture_fail_atom::value,
                       std::string{"internal error"}, seq);
            answered(self, user_id, false);
          });
}

} // namespace

caf::behavior
make_capture_supervisor(caf::stateful_actor<capture_supervisor_state>* self,
                        capture_saver* saver, metrics::node_metrics* metrics,
                        capture_config cfg) {
  auto& st = self->state;
  st.max_pending = cfg.max_pending;
  st.max_pending_per_user = cfg.max_pending_per_user;
  st.metrics = metrics;
  st.worker =
      self->spawn<caf::detached + caf::linked>(make_capture_worker, saver);
  return {
      [=](capture_req_atom, std::string& session_id, std::int64_t user_id,
          std::optional<std::int64_t> post_id, ai_result& r,
          caf::actor& session) {
        capture_request req;
        req.session_id = std::move(session_id);
        req.user_id = user_id;
        req.post_id = post_id;
        req.sequence = r.sequence;
        req.confidence = r.confidence;
        req.processing_time_ms = r.processing_time_ms;
        req.message = std::move(r.message);
        req.requested_at_ms = now_ms();
        accept(self, std::move(req), session);
      },
      [=](count_atom) {
        return static_cast<std::uint64_t>(self->state.pending);
      },
      [=](shutdown_atom) {
        self->state.draining = true;
        spdlog::info("capture: finishing {} pending capture(s)",
                     self->state.pending);
        if (self->state.pending == 0)
          stop(self);
      },
  };
}

} // namespace tryon::actors
