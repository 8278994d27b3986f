// The session actor's frame path on the AI side: frames out to the AI
// channel, answers, failures and timeouts back, results on to the client.

#include "actors/session_actor.hpp"
#include "protocol/frame_header.hpp"
#include "protocol/server_message.hpp"

namespace tryon::actors {

namespace {

double ms_between(std::chrono::steady_clock::time_point a,
                  std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

} // namespace

using protocol::error_code;

void session_state::pump() {
  // Each pass sends one frame or ends: a refused frame is dropped, so the
  // loop ends at the latest when no frame waits.
  while (!pipeline.in_flight() && pipeline.frame_waiting()) {
    if (!take_credit())
      return; // on_credit pumps again
    dispatch_to_ai(*pipeline.release());
  }
}

bool session_state::dispatch_to_ai(dispatch d) {
  // The frame goes straight into the channel's queue: no actor between
  // the session and the network thread (ai_routes.hpp).
  if (ai.channel && ai.channel->send_binary(d.frame.message)) {
    d.frame.sent = clock::now();
    in_flight_sent = d.frame.sent;
    in_flight_received = d.frame.received;
    auto& c = ai.routes->counters;
    ++c.frames_forwarded;
    ++c.in_flight;
    in_flight_counted = true;
    if (env.metrics)
      env.metrics->add_forwarded(1);
    // One timer per session, not one per frame: each delayed_send wakes
    // CAF's clock thread (and again when it fires), which cost ~50 us per
    // relayed frame (docs/PERFORMANCE.md). on_frame_timeout re-arms it
    // from the send time of whichever frame is in flight then.
    if (!frame_timer_armed) {
      frame_timer_armed = true;
      self_->delayed_send(self_, env.frame_timeout, frame_tmo_atom::value,
                          d.sequence);
    }
    return true;
  }
  // Unbound (channel down) or its queue is full: the AI cannot take the
  // frame; it is dropped without an error message, like a lost answer.
  if (ai.routes)
    ++(ai.channel ? ai.routes->counters.queue_drops
                  : ai.routes->counters.unavailable);
  pipeline.on_failure(d.sequence, false);
  give_back_credit();
  return false;
}

void session_state::settle_in_flight() {
  give_back_credit();
  if (!in_flight_counted)
    return;
  in_flight_counted = false;
  if (ai.routes)
    --ai.routes->counters.in_flight;
}

bool session_state::take_credit() {
  if (!ai.credits || credit_state == credit::held)
    return true;
  if (credit_state == credit::waiting)
    return false;
  if (ai.credits->gate.acquire({caf::actor{self_}, ++credit_ticket})) {
    credit_state = credit::held;
    return true;
  }
  credit_state = credit::waiting;
  return false;
}

void session_state::give_back_credit() {
  if (credit_state != credit::held)
    return;
  credit_state = credit::none;
  if (ai.credits)
    wake(*ai.credits, ai.credits->gate.release());
}

void session_state::leave_credits() {
  if (credit_state == credit::waiting && ai.credits)
    wake(*ai.credits,
         ai.credits->gate.cancel({caf::actor{self_}, credit_ticket}));
  else
    give_back_credit();
  credit_state = credit::none;
}

void session_state::on_credit(std::uint64_t gate_id, std::uint64_t ticket) {
  if (credit_state != credit::waiting || !ai.credits ||
      ai.credits->id != gate_id || ticket != credit_ticket)
    return; // a wait given up: cancel() passed that slot on already
  credit_state = credit::held;
  pump();
  // Nothing to send after all (cannot happen while a frame waits, and one
  // waits whenever the session waits): the credit is not kept idle.
  if (!pipeline.in_flight())
    give_back_credit();
}

void session_state::fail_in_flight(std::int64_t seq) {
  pipeline.on_failure(seq, false);
  pump();
}

void session_state::on_result(ai_result& r) {
  auto seq = r.sequence;
  auto now = clock::now();
  auto received = now;
  if (pipeline.in_flight() == seq) {
    settle_in_flight();
    // Late answers (after a timeout) are dropped by the pipeline: not timed.
    auto ms = ms_between(in_flight_sent, now);
    stats.processing.add(ms);
    if (env.metrics)
      env.metrics->observe_processing(ms);
    received = in_flight_received;
  }
  pipeline.on_result(seq, pending_result{std::move(r), received}, false);
  pump();
  deliver();
}

void session_state::on_frame_timeout() {
  frame_timer_armed = false;
  auto in_flight = pipeline.in_flight();
  if (!in_flight)
    return;
  auto seq = *in_flight;
  auto due = in_flight_sent + env.frame_timeout;
  auto now = clock::now();
  if (now < due) { // a later frame: wait for its own deadline
    frame_timer_armed = true;
    self_->delayed_send(
        self_, std::chrono::duration_cast<std::chrono::microseconds>(due - now),
        frame_tmo_atom::value, seq);
    return;
  }
  settle_in_flight();
  send_error(error_code::frame_processing_failed,
             "AI service did not answer frame " + std::to_string(seq) +
                 " in time");
  fail_in_flight(seq);
  deliver();
}

void session_state::sync_writer() {
  if (!writing_since || !counters || counters->frame_writing.load())
    return;
  auto written = clock::time_point{std::chrono::duration_cast<clock::duration>(
      std::chrono::nanoseconds{counters->written_at_ns.load()})};
  auto ms = ms_between(*writing_since, written);
  writing_since.reset();
  pipeline.on_written();
  stats.end_to_end.add(ms);
  if (env.metrics)
    env.metrics->observe_end_to_end(ms);
}

void session_state::deliver() {
  // Two looks at most: the second after asking the transport to tell us
  // when its write ends, as it may have ended in between (ports.hpp).
  for (int look = 0; look < 2 && peer && counters; ++look) {
    sync_writer();
    std::int64_t dropped = 0;
    if (auto r = pipeline.take_delivery(dropped)) {
      auto meta = protocol::processed_frame(
          r->result.sequence, protocol::now_ms(), r->result.processing_time_ms,
          r->result.confidence, "jpeg", dropped);
      counters->notify_written.store(false);
      counters->frame_writing.store(true);
      peer->send_frame(std::move(meta), r->result.message,
                       protocol::frame_header_size);
      writing_since = r->received;
      last_delivered = std::move(*r);
      break;
    }
    if (!pipeline.result_waiting())
      break;
    counters->notify_written.store(true);
  }
  publish_counts();
}

} // namespace tryon::actors
