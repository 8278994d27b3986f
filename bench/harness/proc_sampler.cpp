#include "bench/harness/proc_sampler.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace tryon::bench {

namespace {

// Fields after the ")" closing the command name; [0] is field 3 (state).
std::vector<std::string_view> stat_fields(std::string_view stat) {
  std::vector<std::string_view> out;
  auto close = stat.rfind(')');
  if (close == std::string_view::npos)
    return out;
  std::string_view rest = stat.substr(close + 1);
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\n'))
      ++i;
    std::size_t j = i;
    while (j < rest.size() && rest[j] != ' ' && rest[j] != '\n')
      ++j;
    if (j > i)
      out.push_back(rest.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<std::uint64_t> to_u64(std::string_view s) {
  if (s.empty())
    return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

} // namespace

std::optional<double> parse_proc_stat_cpu(std::string_view stat,
                                          long ticks_per_s) {
  auto f = stat_fields(stat);
  if (f.size() < 13 || ticks_per_s <= 0)
    return std::nullopt;
  auto utime = to_u64(f[11]); // field 14
  auto stime = to_u64(f[12]); // field 15
  if (!utime || !stime)
    return std::nullopt;
  return static_cast<double>(*utime + *stime) / ticks_per_s;
}

int parse_proc_stat_threads(std::string_view stat) {
  auto f = stat_fields(stat);
  if (f.size() < 18)
    return 0;
  auto n = to_u64(f[17]); // field 20
  return n ? static_cast<int>(*n) : 0;
}

std::optional<std::uint64_t> parse_status_kb(std::string_view status,
                                             std::string_view name) {
  std::size_t pos = 0;
  while (pos < status.size()) {
    auto end = status.find('\n', pos);
    if (end == std::string_view::npos)
      end = status.size();
    auto line = status.substr(pos, end - pos);
    pos = end + 1;
    if (line.size() <= name.size() || line.substr(0, name.size()) != name ||
        line[name.size()] != ':')
      continue;
    auto value = line.substr(name.size() + 1);
    auto first = value.find_first_not_of(" \t");
    if (first == std::string_view::npos)
      return std::nullopt;
    value = value.substr(first);
    return to_u64(value.substr(0, value.find(' ')));
  }
  return std::nullopt;
}

std::string read_small_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return {};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::optional<proc_sample> sample_proc(int pid) {
  const std::string base =
      "/proc/" + (pid == 0 ? std::string{"self"} : std::to_string(pid));
  auto stat = read_small_file(base + "/stat");
  auto status = read_small_file(base + "/status");
  auto cpu = parse_proc_stat_cpu(stat, sysconf(_SC_CLK_TCK));
  if (!cpu)
    return std::nullopt;
  proc_sample s;
  s.cpu_s = *cpu;
  s.rss_kb = parse_status_kb(status, "VmRSS").value_or(0);
  s.hwm_kb = parse_status_kb(status, "VmHWM").value_or(0);
  s.threads = parse_proc_stat_threads(stat);
  return s;
}

std::optional<std::uint64_t> parse_sockstat_tcp_kb(std::string_view sockstat,
                                                   long page_size) {
  auto line = sockstat.find("TCP:");
  if (line == std::string_view::npos || page_size <= 0)
    return std::nullopt;
  auto end = sockstat.find('\n', line);
  auto text = sockstat.substr(line, end == std::string_view::npos
                                        ? std::string_view::npos
                                        : end - line);
  auto mem = text.find(" mem ");
  if (mem == std::string_view::npos)
    return std::nullopt;
  auto value = text.substr(mem + 5);
  auto pages = to_u64(value.substr(0, value.find(' ')));
  if (!pages)
    return std::nullopt;
  return *pages * static_cast<std::uint64_t>(page_size) / 1024;
}

std::optional<std::uint64_t> tcp_buffer_kb() {
  return parse_sockstat_tcp_kb(read_small_file("/proc/net/sockstat"),
                               sysconf(_SC_PAGESIZE));
}

double load_average_1m() {
  auto text = read_small_file("/proc/loadavg");
  if (text.empty())
    return -1;
  return std::strtod(text.c_str(), nullptr);
}

} // namespace tryon::bench
