#pragma once

#include "bench/harness/phone_session.hpp"
#include "bench/harness/run_recorder.hpp"
#include "bench/harness/run_report.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tryon::bench {

/// Totals over all sessions at one moment (for the progress line).
struct progress_totals {
  int ready = 0;
  int broken = 0;
  int done = 0;
  std::uint64_t sent = 0;      ///< frames, warm-up included
  std::uint64_t processed = 0; ///< replies, warm-up included
  std::uint64_t dropped = 0;   ///< measured
  std::uint64_t errors = 0;
  std::uint64_t pongs = 0;
};

/// Sums the counters of every session.
progress_totals
sum_progress(const std::vector<std::unique_ptr<phone_session>>& phones);

/// The one-line progress text (no newline).
std::string progress_line(double t_s, const char* phase, int asked,
                          const progress_totals& now, double fps,
                          const latency_histogram& interval,
                          std::uint64_t server_rss_kb);

/// Watches a run from the main thread: samples every traced process's RSS
/// about once a second and prints the progress line on stderr (every
/// second on a terminal, every 5 s otherwise).
class run_monitor {
public:
  /// `traces` and `phones` must outlive the monitor.
  run_monitor(bool quiet, int asked, std::vector<process_trace>& traces,
              const std::vector<std::unique_ptr<phone_session>>& phones,
              run_recorder& rec);

  /// Samples and prints when due; call every ~100 ms.
  void tick(const char* phase);

  /// Samples every process now into `field` (e.g. &process_trace::baseline).
  void sample_all(std::optional<proc_sample> process_trace::*field);

  /// Seconds since the monitor was made.
  double elapsed_s() const;

  /// Finishes the progress line.
  void end_line();

  /// Machine-wide kernel TCP buffer memory sampled so far (seconds, kB).
  const std::vector<std::pair<double, std::uint64_t>>& tcp_timeline() const {
    return tcp_timeline_;
  }

private:
  bool quiet_;
  bool tty_;
  int asked_;
  std::vector<process_trace>& traces_;
  const std::vector<std::unique_ptr<phone_session>>& phones_;
  run_recorder& rec_;
  bench_clock::time_point start_;
  bench_clock::time_point next_sample_;
  bench_clock::time_point next_print_;
  bench_clock::time_point last_print_;
  std::uint64_t last_sent_ = 0;
  bool line_open_ = false;
  std::vector<std::pair<double, std::uint64_t>> tcp_timeline_;
};

} // namespace tryon::bench
