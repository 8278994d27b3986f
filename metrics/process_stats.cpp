#include "metrics/process_stats.hpp"

#include <cstdio>

#include <unistd.h>

namespace tryon::metrics {

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

} // namespace tryon::metrics
