#include "bench/harness/pacer.hpp"

#include <algorithm>
#include <cmath>

namespace tryon::bench {

pacer::pacer(double fps, double jitter, std::uint64_t seed)
  : period_(static_cast<std::int64_t>(std::llround(1e9 / fps))),
    jitter_(std::clamp(jitter, 0.0, 0.5)), rng_(seed) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  phase_ = std::chrono::nanoseconds(static_cast<std::int64_t>(
      u(rng_) * static_cast<double>(period_.count())));
}

std::chrono::nanoseconds pacer::next() {
  std::uniform_real_distribution<double> u(-jitter_, jitter_);
  const double nominal =
      static_cast<double>(phase_.count()) +
      static_cast<double>(k_) * static_cast<double>(period_.count());
  const double moved = nominal + u(rng_) * static_cast<double>(period_.count());
  auto at =
      std::chrono::nanoseconds(static_cast<std::int64_t>(std::max(0.0, moved)));
  at = std::max(at, last_);
  last_ = at;
  ++k_;
  return at;
}

} // namespace tryon::bench
