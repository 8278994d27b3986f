#include "metrics/process_stats.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <sys/resource.h>
#include <unistd.h>

#include <prometheus/metric_family.h>

namespace tryon::metrics {

namespace {

namespace pm = prometheus;

/// Process start from /proc: starttime (clock ticks after boot, field 22 of
/// /proc/self/stat) + btime (/proc/stat).
double start_time_from_proc() noexcept {
  std::FILE* f = std::fopen("/proc/self/stat", "r");
  if (!f)
    return 0;
  char buf[1024];
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  // The command name (field 2) may hold spaces: count from its ')'.
  const char* p = std::strrchr(buf, ')');
  if (!p)
    return 0;
  unsigned long long ticks = 0;
  // After ')' come fields 3..; starttime is field 22, the 20th after ')'.
  int field = 2;
  for (const char* c = p + 1; *c && field < 22; ++c)
    if (*c == ' ' && ++field == 22)
      ticks = std::strtoull(c + 1, nullptr, 10);
  if (ticks == 0)
    return 0;
  std::FILE* s = std::fopen("/proc/stat", "r");
  if (!s)
    return 0;
  char line[256];
  unsigned long long btime = 0;
  while (std::fgets(line, sizeof line, s))
    if (std::sscanf(line, "btime %llu", &btime) == 1)
      break;
  std::fclose(s);
  if (btime == 0)
    return 0;
  return static_cast<double>(btime) +
         static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

pm::MetricFamily gauge_family(const char* name, const char* help, double v,
                              pm::MetricType type = pm::MetricType::Gauge) {
  pm::MetricFamily f;
  f.name = name;
  f.help = help;
  f.type = type;
  pm::ClientMetric m;
  if (type == pm::MetricType::Counter)
    m.counter.value = v;
  else
    m.gauge.value = v;
  f.metric.push_back(std::move(m));
  return f;
}

} // namespace

std::int64_t resident_bytes() noexcept {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f)
    return 0;
  long long size = 0;
  long long resident = 0;
  int n = std::fscanf(f, "%lld %lld", &size, &resident);
  std::fclose(f);
  if (n != 2)
    return 0;
  return static_cast<std::int64_t>(resident) * ::sysconf(_SC_PAGESIZE);
}

process_figures read_process() noexcept {
  process_figures out;
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) == 0)
    out.cpu_seconds =
        static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
        static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    long long size = 0;
    long long resident = 0;
    if (std::fscanf(f, "%lld %lld", &size, &resident) == 2) {
      out.virtual_bytes = size * ::sysconf(_SC_PAGESIZE);
      out.resident_bytes = resident * ::sysconf(_SC_PAGESIZE);
    }
    std::fclose(f);
  }
  std::error_code ec;
  for (std::filesystem::directory_iterator it{"/proc/self/fd", ec}, end;
       !ec && it != end; it.increment(ec))
    ++out.open_fds;
  // The iterator's own descriptor was open while counting.
  if (out.open_fds > 0)
    --out.open_fds;
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
    out.max_fds = rl.rlim_cur == RLIM_INFINITY
                      ? 0
                      : static_cast<std::int64_t>(rl.rlim_cur);
  // The start time never changes: read it once.
  static const double started = [] {
    double t = start_time_from_proc();
    return t > 0 ? t
                 : std::chrono::duration<double>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  }();
  out.start_time_s = started;
  return out;
}

std::vector<pm::MetricFamily> process_families() {
  auto p = read_process();
  std::vector<pm::MetricFamily> out;
  out.push_back(gauge_family("process_cpu_seconds_total",
                             "Total user and system CPU time spent in seconds.",
                             p.cpu_seconds, pm::MetricType::Counter));
  out.push_back(gauge_family("process_resident_memory_bytes",
                             "Resident memory size in bytes.",
                             static_cast<double>(p.resident_bytes)));
  out.push_back(gauge_family("process_virtual_memory_bytes",
                             "Virtual memory size in bytes.",
                             static_cast<double>(p.virtual_bytes)));
  out.push_back(gauge_family("process_open_fds",
                             "Number of open file descriptors.",
                             static_cast<double>(p.open_fds)));
  out.push_back(gauge_family("process_max_fds",
                             "Maximum number of open file descriptors.",
                             static_cast<double>(p.max_fds)));
  out.push_back(
      gauge_family("process_start_time_seconds",
                   "Start time of the process since unix epoch in seconds.",
                   p.start_time_s));
  return out;
}

pm::MetricFamily build_info_family(const char* name, const char* version,
                                   const char* commit) {
  auto f = gauge_family(name, "Build information: version and git commit", 1);
  f.metric.front().label = {{"commit", commit}, {"version", version}};
  return f;
}

} // namespace tryon::metrics
