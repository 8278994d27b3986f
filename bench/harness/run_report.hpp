#pragma once

#include "bench/harness/latency_histogram.hpp"
#include "bench/harness/proc_sampler.hpp"
#include "bench/harness/stream_hint.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tryon::bench {

/// /proc readings of one process over a run.
struct process_trace {
  std::string role; ///< "server", "ai" or "harness"
  int pid = 0;
  std::optional<proc_sample> baseline;     ///< before any WebSocket opened
  std::optional<proc_sample> window_start; ///< when measuring began
  std::optional<proc_sample> window_end;   ///< when measuring ended
  /// (seconds since the run started, VmRSS kB), about once a second.
  std::vector<std::pair<double, std::uint64_t>> rss_timeline;
};

/// One session's line.
struct session_row {
  std::string id;
  bool ready = false;
  std::uint64_t sent = 0;
  std::uint64_t processed = 0;
  std::uint64_t dropped = 0;
  std::uint64_t failed = 0;
  std::uint64_t errors = 0;
  std::uint64_t skipped = 0;
};

/// Reconnect mode (--reconnect): phones that lost their socket and came
/// back through the same URL.
struct reconnect_report {
  bool enabled = false;
  double within_s = 0;         ///< the bound an outage had
  std::uint64_t outages = 0;   ///< reconnectable closes
  std::uint64_t recovered = 0; ///< session_ready again within the bound
  std::uint64_t lost = 0;      ///< not back within it (or by the end)
  std::uint64_t attempts = 0;  ///< links reopened
  latency_histogram to_ready;  ///< close -> session_ready
  latency_histogram to_frame;  ///< close -> first processed frame
};

/// Take-over mode: successive connections to one session.
struct takeover_report {
  bool enabled = false;
  int asked = 0;             ///< take-overs attempted
  int taken_over = 0;        ///< the older connection got 4009
  int other_close = 0;       ///< ...another close code (or none)
  int timed_out = 0;         ///< no close, or no session_ready, in time
  latency_histogram latency; ///< new connection open -> old one's 4009
  latency_histogram ready;   ///< new connection open -> session_ready
};

/// Everything a run observed; the figures are derived from it.
struct run_report {
  std::string mode;
  std::string target;     ///< URL loaded
  nlohmann::json options; ///< the flags, echoed
  int sessions_asked = 0;
  int sessions_ready = 0;
  /// How the open phase ended, counted when it did (every session ready or
  /// failed, or 30 s after the ramp): init answered by an error; connection
  /// failed (refused, handshake or socket error); neither ready nor failed.
  int open_init_failed = 0;
  int open_connect_failed = 0;
  int open_waiting = 0;
  latency_histogram ready_latency;      ///< init -> session_ready
  latency_histogram init_error_latency; ///< init -> error, never ready
  double fps_asked = 0;                 ///< per session
  double window_s = 0;                  ///< measured seconds
  double window_start_s = 0;   ///< when measuring began (s since start)
  std::uint64_t sent = 0;      ///< frames sent in the window
  std::uint64_t processed = 0; ///< their processed replies
  std::uint64_t dropped = 0;   ///< drops the server reported for them
  std::uint64_t failed = 0;    ///< frames answered by an error
  std::uint64_t skipped = 0;   ///< not sent: the socket was still busy
  std::uint64_t errors = 0;    ///< error messages received
  std::uint64_t pongs = 0;     ///< pongs received
  std::uint64_t unmatched = 0; ///< replies to frames too old to time
  double ai_time_ms_sum = 0;   ///< AI processing_time_ms over processed
  double confidence_sum = 0;   ///< confidence over processed
  std::uint64_t bytes_out = 0; ///< frame bytes written in the window
  /// Outgoing TCP bytes the server acknowledged in the window (uploaded).
  std::uint64_t bytes_acked = 0;
  std::uint64_t bytes_in = 0;  ///< bytes received in the window
  std::size_t frame_bytes = 0; ///< mean size of the frames sent
  latency_histogram latency;   ///< send -> processed image (or pong)
  std::map<std::string, std::uint64_t> error_codes;
  reconnect_report reconnect;
  takeover_report takeover;
  /// --stream-hints: the phones opted in and followed the hints.
  bool stream_hints = false;
  std::uint64_t hints = 0; ///< stream_hint messages received
  std::map<std::string, std::uint64_t> hints_by_reason;
  std::optional<stream_hint> last_hint; ///< the last to arrive
  std::vector<process_trace> processes;
  nlohmann::json server_stats_before; ///< /api/try-on/stats/ (null if none)
  nlohmann::json server_stats_after;
  std::vector<session_row> sessions;
  /// Machine-wide kernel TCP buffer memory, (seconds, kB), ~once a second:
  /// what slow readers pin in socket send buffers (not in any RSS).
  std::vector<std::pair<double, std::uint64_t>> tcp_mem_timeline;
  double load_before = -1; ///< 1-minute load average
  double load_after = -1;
  int cpus = 0;
  std::vector<std::string> notes;
};

/// Figures derived for one process.
struct process_figures {
  std::optional<double> cpu_s;                ///< CPU in the window
  std::optional<double> cpu_us_per_frame;     ///< per frame sent
  std::optional<double> cpu_us_per_session_s; ///< per session-second
  std::optional<double> rss_per_session_kb;   ///< (end - baseline) / sessions
  std::uint64_t rss_start_kb = 0;
  std::uint64_t rss_end_kb = 0;
  std::uint64_t rss_peak_kb = 0;
  std::optional<double> rss_slope_kb_per_min; ///< least squares, timeline
};

/// Figures derived from a report.
struct run_figures {
  double fps_sent_per_session = 0;
  double fps_processed_per_session = 0;
  double frames_per_s = 0; ///< processed, all sessions
  double bytes_out_per_s = 0;
  double bytes_acked_per_s = 0;
  double frame_bytes_sent = 0; ///< bytes_out / sent: the frames' mean size
  double bytes_in_per_s = 0;
  double drop_pct = 0;   ///< dropped / sent
  double unanswered = 0; ///< sent - processed - dropped - failed
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0, mean_ms = 0;
  double ai_ms_mean = 0;      ///< the AI's own time per processed frame
  double confidence_mean = 0; ///< mean hand-detection confidence
};

/// The run's figures.
run_figures compute_figures(const run_report& r);

/// One process's figures.
process_figures compute_process(const run_report& r, const process_trace& p);

/// Least-squares slope of a timeline in units per minute (nullopt below 3
/// points or with no time spread).
std::optional<double>
slope_per_minute(const std::vector<std::pair<double, std::uint64_t>>& pts);

/// Numeric leaves of `after` minus those of `before` (objects recursed,
/// other values left out); null when either is not an object.
nlohmann::json numeric_delta(const nlohmann::json& before,
                             const nlohmann::json& after);

/// {count, p50, p90, p99, max} in ms.
nlohmann::json histogram_json(const latency_histogram& h);

/// The report for scripts (figures, raw counters, timelines, sessions).
nlohmann::json report_json(const run_report& r);

/// The report for people: a few aligned tables.
std::string report_table(const run_report& r, bool per_session);

} // namespace tryon::bench
