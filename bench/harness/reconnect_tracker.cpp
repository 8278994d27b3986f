#include "bench/harness/reconnect_tracker.hpp"

#include <algorithm>

namespace tryon::bench {

namespace {

constexpr std::chrono::milliseconds first_backoff{50};
constexpr std::chrono::milliseconds max_backoff{1000};

} // namespace

bool is_reconnect_close(int close_code) {
  return close_code == 0 || close_code == 4009 || close_code == 1012 ||
         close_code == 1001;
}

reconnect_tracker::reconnect_tracker(std::chrono::milliseconds bound)
  : bound_(bound) {}

std::optional<bench_clock::time_point>
reconnect_tracker::on_closed(int close_code, bench_clock::time_point now) {
  if (down_) // a reconnect attempt that opened but did not get ready
    return on_attempt_failed(now);
  if (!is_reconnect_close(close_code))
    return std::nullopt;
  down_ = true;
  awaiting_frame_ = false;
  down_at_ = now;
  backoff_ = first_backoff;
  ++outages_;
  ++attempts_;
  return now;
}

std::optional<bench_clock::time_point>
reconnect_tracker::on_attempt_failed(bench_clock::time_point now) {
  if (!down_)
    return std::nullopt;
  const auto retry_at = now + backoff_;
  if (retry_at - down_at_ > bound_) {
    down_ = false;
    ++lost_;
    return std::nullopt;
  }
  backoff_ = std::min(backoff_ * 2, max_backoff);
  ++attempts_;
  return retry_at;
}

std::optional<bench_clock::duration>
reconnect_tracker::on_ready(bench_clock::time_point now) {
  if (!down_)
    return std::nullopt;
  down_ = false;
  awaiting_frame_ = true;
  ++recovered_;
  return now - down_at_;
}

std::optional<bench_clock::duration>
reconnect_tracker::on_processed(bench_clock::time_point now) {
  if (!awaiting_frame_)
    return std::nullopt;
  awaiting_frame_ = false;
  return now - down_at_;
}

} // namespace tryon::bench
