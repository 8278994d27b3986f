#include "bench/harness/pacer.hpp"

#include <algorithm>
#include <cmath>

namespace tryon::bench {

namespace {

std::chrono::nanoseconds period_of(double fps) {
  return std::chrono::nanoseconds(
      static_cast<std::int64_t>(std::llround(1e9 / fps)));
}

} // namespace

pacer::pacer(double fps, double jitter, std::uint64_t seed)
  : fps_(fps), period_(period_of(fps)), jitter_(std::clamp(jitter, 0.0, 0.5)),
    rng_(seed) {
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
  ++scheduled_;
  return at;
}

void pacer::set_fps(double fps) {
  if (fps <= 0 || fps == fps_)
    return;
  const auto old_period = period_;
  fps_ = fps;
  period_ = period_of(fps);
  if (k_ == 0)
    return; // nothing scheduled yet: the phase stays
  // The last frame's nominal time on the old grid, plus one new period.
  phase_ += old_period * static_cast<std::int64_t>(k_ - 1) + period_;
  k_ = 0;
}

} // namespace tryon::bench
