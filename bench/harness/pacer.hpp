#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace tryon::bench {

/// When one phone sends its frames: a grid of 1/fps from a random phase,
/// each frame moved by a uniform random jitter of up to `jitter` periods
/// either way. The grid never drifts, so the mean rate is exactly `fps`,
/// and send times never go backwards.
class pacer {
public:
  /// `jitter` is a fraction of the period in [0, 0.5].
  pacer(double fps, double jitter, std::uint64_t seed);

  /// Offset from the stream start at which the next frame is due.
  std::chrono::nanoseconds next();

  /// Changes the rate from the next frame on (a stream hint): the grid
  /// restarts one new period after the last frame's nominal time, so the
  /// rate is exactly `fps` from there and send times never go backwards.
  void set_fps(double fps);

  /// The nominal period (1/fps).
  std::chrono::nanoseconds period() const { return period_; }

  /// The current rate.
  double fps() const { return fps_; }

  /// Frames scheduled so far.
  std::uint64_t scheduled() const { return scheduled_; }

private:
  double fps_;
  std::chrono::nanoseconds period_;
  double jitter_;
  std::chrono::nanoseconds phase_; ///< nominal time of grid frame 0
  std::chrono::nanoseconds last_{0};
  std::uint64_t k_ = 0; ///< frames on the current grid
  std::uint64_t scheduled_ = 0;
  std::mt19937_64 rng_;
};

} // namespace tryon::bench
