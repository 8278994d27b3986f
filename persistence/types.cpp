#include "persistence/types.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace tryon::persistence {

std::string iso8601(epoch_us t) {
  // Floor division, so times before 1970 still get a positive fraction.
  auto secs = t / 1000000;
  auto frac = t % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  auto tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[96]; // room for any int the compiler imagines in tm
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(frac));
  return buf;
}

epoch_us now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch())
      .count();
}

} // namespace tryon::persistence
