#pragma once

#include <cstdint>
#include <vector>

namespace prometheus {
struct MetricFamily;
} // namespace prometheus

namespace tryon::metrics {

/// The process's resident set size in bytes (from /proc/self/statm); 0 when
/// it cannot be read.
std::int64_t resident_bytes() noexcept;

/// What /proc and getrusage say about this process right now.
struct process_figures {
  double cpu_seconds = 0;          ///< user + system CPU time
  std::int64_t resident_bytes = 0; ///< RSS
  std::int64_t virtual_bytes = 0;  ///< address space size
  std::int64_t open_fds = 0;       ///< entries in /proc/self/fd
  std::int64_t max_fds = 0;        ///< soft RLIMIT_NOFILE
  double start_time_s = 0;         ///< Unix time the process started
};

/// Reads them (a figure that cannot be read is 0).
process_figures read_process() noexcept;

/// The standard process_* families (Prometheus client conventions):
/// process_cpu_seconds_total, process_resident_memory_bytes,
/// process_virtual_memory_bytes, process_open_fds, process_max_fds,
/// process_start_time_seconds.
std::vector<prometheus::MetricFamily> process_families();

/// `tryon_build_info{version,commit} 1` (or `<prefix>_build_info`).
prometheus::MetricFamily
build_info_family(const char* name, const char* version, const char* commit);

} // namespace tryon::metrics
