#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tryon::bench {

/// One reading of a process's /proc files.
struct proc_sample {
  double cpu_s = 0;         ///< user + system CPU seconds so far
  std::uint64_t rss_kb = 0; ///< VmRSS
  std::uint64_t hwm_kb = 0; ///< VmHWM (peak RSS)
  int threads = 0;          ///< from /proc/<pid>/stat
};

/// User + system CPU seconds from the text of /proc/<pid>/stat (the
/// command name may hold spaces and parentheses); nullopt if malformed.
std::optional<double> parse_proc_stat_cpu(std::string_view stat,
                                          long ticks_per_s);

/// Thread count from the text of /proc/<pid>/stat (0 if malformed).
int parse_proc_stat_threads(std::string_view stat);

/// The value in kB of a "Name:   123 kB" line of /proc/<pid>/status.
std::optional<std::uint64_t> parse_status_kb(std::string_view status,
                                             std::string_view name);

/// Reads /proc/<pid>/stat and status; nullopt if the process is gone.
/// pid 0 means this process.
std::optional<proc_sample> sample_proc(int pid);

/// The 1-minute load average from /proc/loadavg (-1 if unreadable).
double load_average_1m();

/// Kernel memory of all TCP socket buffers in kB, from the text of
/// /proc/net/sockstat ("TCP: ... mem <pages>"); nullopt if absent.
std::optional<std::uint64_t> parse_sockstat_tcp_kb(std::string_view sockstat,
                                                   long page_size);

/// Machine-wide TCP buffer memory now (kB; nullopt if unreadable).
std::optional<std::uint64_t> tcp_buffer_kb();

/// Reads a whole (small) file; empty if it cannot be read.
std::string read_small_file(const std::string& path);

} // namespace tryon::bench
