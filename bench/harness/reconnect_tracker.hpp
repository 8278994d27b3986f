#pragma once

#include "bench/harness/run_recorder.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

namespace tryon::bench {

/// Whether a phone whose socket ended with `close_code` comes back: 4009
/// (taken over by another connection), 1012 (service restart: a node
/// draining), 1001 (going away) and 0 (the connection dropped without a
/// close frame, e.g. a killed node) do; anything else (1000, 1008, 4001...)
/// is a deliberate end.
bool is_reconnect_close(int close_code);

/// One phone's outages in reconnect mode, without sockets: when its link
/// went down, when its session was ready again and when the first frame
/// after that was processed; retries with a doubling backoff (50 ms to
/// 1 s) until `bound` after the outage began, then gives up. Used on the
/// phone's strand only.
class reconnect_tracker {
public:
  /// Gives up on an outage `bound` after it began.
  explicit reconnect_tracker(std::chrono::milliseconds bound);

  /// The link ended with `close_code` (0: no close frame) at `now`; when
  /// the phone should reconnect (at once), or nullopt when the close is
  /// final (then the phone is down for good, not "lost").
  std::optional<bench_clock::time_point> on_closed(int close_code,
                                                   bench_clock::time_point now);

  /// A reconnect attempt failed (or closed before session_ready) at
  /// `now`: when to try again, or nullopt when the bound has passed (the
  /// phone is lost).
  std::optional<bench_clock::time_point>
  on_attempt_failed(bench_clock::time_point now);

  /// session_ready arrived: close -> ready, if an outage was open.
  std::optional<bench_clock::duration> on_ready(bench_clock::time_point now);

  /// A processed frame arrived: close -> first processed frame, once per
  /// outage (after on_ready).
  std::optional<bench_clock::duration>
  on_processed(bench_clock::time_point now);

  /// Between a reconnectable close and session_ready again.
  bool down() const { return down_; }

  /// Outages begun (reconnectable closes).
  std::uint64_t outages() const { return outages_; }

  /// Outages that ended with session_ready again.
  std::uint64_t recovered() const { return recovered_; }

  /// Outages given up on (not ready within the bound).
  std::uint64_t lost() const { return lost_; }

  /// Reconnect attempts made (connections opened after a close).
  std::uint64_t attempts() const { return attempts_; }

private:
  std::chrono::milliseconds bound_;
  std::chrono::milliseconds backoff_{0};
  bench_clock::time_point down_at_{};
  bool down_ = false;
  bool awaiting_frame_ = false;
  std::uint64_t outages_ = 0;
  std::uint64_t recovered_ = 0;
  std::uint64_t lost_ = 0;
  std::uint64_t attempts_ = 0;
};

} // namespace tryon::bench
