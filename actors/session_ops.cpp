#include "actors/session_ops.hpp"

#include <caf/event_based_actor.hpp>

#include "protocol/frame_header.hpp"
#include "protocol/server_message.hpp"

namespace tryon::actors::session_ops {

namespace {

using clock = std::chrono::steady_clock;

double ms_between(clock::time_point a, clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

/// Accepted frames neither delivered nor dropped yet (still in the pipeline).
std::uint64_t undelivered(const session_state& st) {
  const auto& p = st.pipeline;
  return p.accepted() - p.delivered() - p.dropped();
}

} // namespace

void send_error(session_actor* self, protocol::error_code code,
                const std::string& message) {
  auto& st = self->state;
  std::string name{protocol::to_string(code)};
  st.stats.errors[name]++;
  if (st.env.metrics)
    st.env.metrics->add_error(name);
  if (st.peer)
    st.peer->send_text(
        protocol::error_message(code, message, protocol::now_ms()));
}

void send_rate_limited(session_actor* self, const std::string& what,
                       double retry_after_s) {
  auto n = persistence::retry_after_seconds(retry_after_s);
  send_error(self, protocol::error_code::rate_limited,
             what + ": try again in " + std::to_string(n) +
                 (n == 1 ? " second" : " seconds"));
}

void persist_status(session_actor* self, const char* status) {
  self->send(self->state.env.persister, p_status_atom::value,
             self->state.info.id, std::string{status});
}

void persist_stats(session_actor* self, bool final) {
  auto& st = self->state;
  auto dropped = st.pipeline.dropped() + (final ? undelivered(st) : 0);
  auto json = st.stats.to_json(st.pipeline.accepted(), st.pipeline.delivered(),
                               dropped);
  auto text = json.dump();
  // An idle session's figures do not change: skip the identical write (1,000
  // idle sessions made 100 database writes a second, docs/PERFORMANCE.md).
  if (!final && text == st.persisted_stats)
    return;
  st.persisted_stats = text;
  self->send(st.env.persister, p_stats_atom::value, st.info.id,
             std::move(text));
}

void publish_counts(session_actor* self) {
  auto& st = self->state;
  auto* m = st.env.metrics;
  if (!m)
    return;
  auto& r = st.reported;
  auto push = [](std::uint64_t now, std::uint64_t& seen, auto add) {
    if (now > seen) {
      add(now - seen);
      seen = now;
    }
  };
  push(st.stats.frames_received, r.received,
       [m](std::uint64_t n) { m->add_received(n); });
  push(st.stats.frames_rejected, r.rejected,
       [m](std::uint64_t n) { m->add_rejected(n); });
  push(st.pipeline.delivered(), r.processed,
       [m](std::uint64_t n) { m->add_processed(n); });
  push(st.pipeline.dropped(), r.dropped,
       [m](std::uint64_t n) { m->add_dropped(n); });
}

void finish(session_actor* self, std::optional<std::uint16_t> close_code,
            bool write_end) {
  auto& st = self->state;
  settle_in_flight(self);
  sync_writer(self); // the last frame's end-to-end latency
  if (st.phase != session_phase::waiting_init) {
    if (write_end)
      self->send(st.env.ai_link, ai_close_atom::value, st.info.id);
    else // moved: the other node may use the same AI session
      self->send(st.env.ai_link, ai_forget_atom::value, st.info.id);
  }
  if (write_end) {
    persist_status(self, st.failed ? "error" : "completed");
    persist_stats(self, true);
  }
  publish_counts(self);
  if (st.env.metrics)
    st.env.metrics->add_dropped(undelivered(st));
  if (st.peer && close_code)
    st.peer->close(*close_code);
  st.peer.reset();
  st.ai = {}; // the channel must not outlive the transport through us
  self->quit();
}

void dispatch_to_ai(
    session_actor* self,
    std::optional<frame_pipeline<pending_frame, pending_result>::dispatch> d) {
  auto& st = self->state;
  while (d) {
    // The frame goes straight into the channel's queue: no actor between
    // the session and the network thread (ai_routes.hpp).
    if (st.ai.channel && st.ai.channel->send_binary(d->frame.message)) {
      d->frame.sent = clock::now();
      st.in_flight_sent = d->frame.sent;
      st.in_flight_received = d->frame.received;
      auto& c = st.ai.routes->counters;
      ++c.frames_forwarded;
      ++c.in_flight;
      st.in_flight_counted = true;
      if (st.env.metrics)
        st.env.metrics->add_forwarded(1);
      // One timer per session, not one per frame: each delayed_send wakes
      // CAF's clock thread (and again when it fires), which cost ~50 us per
      // relayed frame (docs/PERFORMANCE.md). The frame_tmo handler re-arms
      // it from the send time of whichever frame is in flight then.
      if (!st.frame_timer_armed) {
        st.frame_timer_armed = true;
        self->delayed_send(self, st.env.frame_timeout, frame_tmo_atom::value,
                           d->sequence);
      }
      return;
    }
    // Unbound (channel down) or its queue is full: the AI cannot take the
    // frame; it is dropped without an error message, like a lost answer.
    if (st.ai.routes)
      ++(st.ai.channel ? st.ai.routes->counters.queue_drops
                       : st.ai.routes->counters.unavailable);
    d = st.pipeline.on_failure(d->sequence);
  }
}

void settle_in_flight(session_actor* self) {
  auto& st = self->state;
  if (!st.in_flight_counted)
    return;
  st.in_flight_counted = false;
  if (st.ai.routes)
    --st.ai.routes->counters.in_flight;
}

void sync_writer(session_actor* self) {
  auto& st = self->state;
  if (!st.writing_since || !st.counters || st.counters->frame_writing.load())
    return;
  auto written = clock::time_point{std::chrono::duration_cast<clock::duration>(
      std::chrono::nanoseconds{st.counters->written_at_ns.load()})};
  auto ms = ms_between(*st.writing_since, written);
  st.writing_since.reset();
  st.pipeline.on_written();
  st.stats.end_to_end.add(ms);
  if (st.env.metrics)
    st.env.metrics->observe_end_to_end(ms);
}

void deliver(session_actor* self) {
  auto& st = self->state;
  // Two looks at most: the second after asking the transport to tell us
  // when its write ends, as it may have ended in between (ports.hpp).
  for (int look = 0; look < 2 && st.peer && st.counters; ++look) {
    sync_writer(self);
    std::int64_t dropped = 0;
    if (auto r = st.pipeline.take_delivery(dropped)) {
      auto meta = protocol::processed_frame(
          r->result.sequence, protocol::now_ms(), r->result.processing_time_ms,
          r->result.confidence, "jpeg", dropped);
      st.counters->notify_written.store(false);
      st.counters->frame_writing.store(true);
      st.peer->send_frame(std::move(meta), r->result.message,
                          protocol::frame_header_size);
      st.writing_since = r->received;
      st.last_delivered = std::move(*r);
      break;
    }
    if (!st.pipeline.result_waiting())
      break;
    st.counters->notify_written.store(true);
  }
  publish_counts(self);
}

void on_result(session_actor* self, ai_result& r) {
  auto& st = self->state;
  auto seq = r.sequence;
  auto now = clock::now();
  auto received = now;
  if (st.pipeline.in_flight() == seq) {
    settle_in_flight(self);
    // Late answers (after a timeout) are dropped by the pipeline: not timed.
    auto ms = ms_between(st.in_flight_sent, now);
    st.stats.processing.add(ms);
    if (st.env.metrics)
      st.env.metrics->observe_processing(ms);
    received = st.in_flight_received;
  }
  auto next =
      st.pipeline.on_result(seq, pending_result{std::move(r), received});
  dispatch_to_ai(self, std::move(next));
  deliver(self);
}

} // namespace tryon::actors::session_ops
