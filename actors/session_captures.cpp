// The session actor's captures: the last delivered frame saved once however
// often it is asked for, each ask answered, per-session rate limit.

#include "actors/session_actor.hpp"
#include "protocol/server_message.hpp"

namespace tryon::actors {

using protocol::error_code;

void session_state::capture() {
  if (!last_delivered)
    return send_error(error_code::nothing_to_capture,
                      "No processed frame to capture yet");
  if (!env.capture)
    return send_error(error_code::processing_failed,
                      "Capture is not available");
  if (env.capture_limit) {
    auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                      clock::now().time_since_epoch())
                      .count();
    auto d =
        persistence::bucket_take(capture_bucket, *env.capture_limit, 1, now_us);
    if (!d.allowed)
      return send_rate_limited("Too many captures", d.retry_after_s);
  }
  auto seq = last_delivered->result.sequence;
  // The same frame again: stored once, every capture answered alike.
  if (last_saved && last_saved->first == seq) {
    if (peer)
      peer->send_text(
          protocol::frame_saved(last_saved->second, protocol::now_ms()));
    return;
  }
  if (auto it = captures_owed.find(seq); it != captures_owed.end()) {
    it->second++;
    return;
  }
  captures_owed[seq] = 1;
  captures_pending++;
  self_->send(env.capture, capture_req_atom::value, info.id, info.user_id,
              info.post_id, last_delivered->result, caf::actor{self_});
}

int session_state::take_owed(std::int64_t seq) {
  auto it = captures_owed.find(seq);
  if (it == captures_owed.end())
    return 1;
  int n = it->second;
  captures_owed.erase(it);
  return n;
}

void session_state::capture_saved(std::int64_t try_on_id, std::int64_t seq) {
  auto owed = take_owed(seq);
  last_saved = std::make_pair(seq, try_on_id);
  for (int i = 0; i < owed && peer; ++i)
    peer->send_text(protocol::frame_saved(try_on_id, protocol::now_ms()));
  capture_answered();
}

void session_state::capture_failed(const std::string& message,
                                   std::int64_t seq) {
  auto owed = take_owed(seq);
  for (int i = 0; i < owed; ++i)
    send_error(error_code::processing_failed, "Capture failed: " + message);
  capture_answered();
}

void session_state::capture_limited(std::int64_t retry_ms, std::int64_t seq) {
  auto owed = take_owed(seq);
  for (int i = 0; i < owed; ++i)
    send_rate_limited("Too many captures waiting to be saved",
                      static_cast<double>(retry_ms) / 1000.0);
  capture_answered();
}

void session_state::capture_answered() {
  if (captures_pending > 0)
    captures_pending--;
}

} // namespace tryon::actors
