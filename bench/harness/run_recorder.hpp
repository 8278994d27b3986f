#pragma once

#include "bench/harness/latency_histogram.hpp"
#include "bench/harness/stream_hint.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace tryon::bench {

/// The harness's clock.
using bench_clock = std::chrono::steady_clock;

/// Counters of one session. Frame counters cover frames *sent inside the
/// measured window* (a reply counts if its frame was); atomics so that the
/// progress line may read them from any thread.
struct session_counters {
  std::atomic<std::uint64_t> sent{0};      ///< frames sent in the window
  std::atomic<std::uint64_t> processed{0}; ///< their processed replies
  std::atomic<std::uint64_t> dropped{0};   ///< drops the server reported
  std::atomic<std::uint64_t> failed{0};    ///< frames answered by an error
  std::atomic<std::uint64_t> skipped{0};   ///< due while a write was stuck
  std::atomic<std::uint64_t> errors{0};    ///< error messages (any time)
  /// Frame bytes (header block + image) whose write into the socket
  /// completed inside the window (not frames merely queued).
  std::atomic<std::uint64_t> bytes_out{0};
  /// Bytes of the outgoing TCP stream the server acknowledged inside the
  /// window (TCP_INFO; framing and text messages included): what really
  /// went up the link, not what waits in the socket's send buffer.
  std::atomic<std::uint64_t> bytes_acked{0};
  std::atomic<std::uint64_t> bytes_in{0}; ///< bytes received in window
  std::atomic<std::uint64_t> pongs{0};    ///< pongs received (any time)
  std::atomic<std::uint64_t> hints{0};    ///< stream hints (any time)
  /// Processed replies for frames no longer remembered (older than the
  /// last 2048 sent): counted, not timed.
  std::atomic<std::uint64_t> unmatched{0};
  /// Sum of the AI's processing_time_ms of measured replies, in µs.
  std::atomic<std::uint64_t> ai_time_us{0};
  /// Sum of the confidence of measured replies, in thousandths.
  std::atomic<std::uint64_t> confidence_milli{0};
  std::atomic<std::uint64_t> sent_total{0};      ///< frames, warm-up too
  std::atomic<std::uint64_t> processed_total{0}; ///< replies, warm-up too
  std::atomic<std::uint64_t> outages{0};         ///< reconnect mode: closes
  std::atomic<std::uint64_t> recovered{0};       ///< ...ready again in time
  std::atomic<std::uint64_t> lost{0};            ///< ...not back within bound
  std::atomic<std::uint64_t> reconnect_attempts{0}; ///< links reopened
  std::atomic<bool> ready{false};  ///< the peer opened the session
  std::atomic<bool> broken{false}; ///< connecting or the link failed
  /// The session's init was answered by an error (explicit, not ready).
  std::atomic<bool> init_failed{false};
};

/// The stream hints of a run.
struct hint_summary {
  std::uint64_t received = 0;
  std::map<std::string, std::uint64_t> by_reason;
  std::optional<stream_hint> last; ///< the last to arrive, any session
};

/// Where every session reports latencies and error codes; thread-safe.
class run_recorder {
public:
  /// Frames sent in [begin, end) are measured.
  void set_window(bench_clock::time_point begin, bench_clock::time_point end);

  /// Whether a frame sent at `t` is measured.
  bool in_window(bench_clock::time_point t) const;

  /// The window's begin and end (max() until set).
  std::pair<bench_clock::time_point, bench_clock::time_point> window() const;

  /// A reply to a frame sent at `sent_at` arrived at `now`.
  void record_latency(bench_clock::time_point sent_at,
                      bench_clock::time_point now);

  /// Reconnect mode: an outage ended with session_ready after `down`.
  void record_reconnect_ready(bench_clock::duration down);

  /// Reconnect mode: the first frame after an outage was processed
  /// `down` after the close.
  void record_reconnect_frame(bench_clock::duration down);

  /// Close -> session_ready again, per outage.
  latency_histogram reconnect_ready() const;

  /// Close -> first processed frame again, per outage.
  latency_histogram reconnect_frame() const;

  /// An error message with wire code `code` arrived.
  void record_error(const std::string& code);

  /// The init message sent at `sent_at` was answered at `now`: by the
  /// session opening (`ready`), else by an error.
  void record_init_answer(bench_clock::time_point sent_at,
                          bench_clock::time_point now, bool ready);

  /// init -> session_ready times.
  latency_histogram ready_latency() const;

  /// init -> error times (sessions that never opened).
  latency_histogram init_error_latency() const;

  /// Latencies of measured frames so far.
  latency_histogram window_latency() const;

  /// Latencies of every reply since the previous call (progress line).
  latency_histogram take_interval();

  /// Error messages by code.
  std::map<std::string, std::uint64_t> error_codes() const;

  /// A stream hint arrived (any session, any time).
  void record_hint(const stream_hint& h);

  /// The hints so far.
  hint_summary hints() const;

private:
  mutable std::mutex mu_;
  bench_clock::time_point begin_{bench_clock::time_point::max()};
  bench_clock::time_point end_{bench_clock::time_point::max()};
  latency_histogram window_;
  latency_histogram interval_;
  latency_histogram reconnect_ready_;
  latency_histogram reconnect_frame_;
  std::map<std::string, std::uint64_t> codes_;
  hint_summary hints_;
  latency_histogram ready_;
  latency_histogram init_error_;
};

} // namespace tryon::bench
