#include "actors/stream_hinter.hpp"

#include <algorithm>
#include <cmath>

namespace tryon::actors {

namespace {

// A hostile client may send thousands of frames a second: the window keeps
// this many delays at most (the median of the first ones is good enough).
constexpr std::size_t max_delays_per_window = 256;

std::int64_t median(std::vector<std::int64_t> v) {
  auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

} // namespace

stream_hinter::stream_hinter(hinter_config cfg)
  : cfg_(std::move(cfg)), ai_fps_(cfg_.target_fps) {
  if (cfg_.ladder.empty())
    cfg_.ladder.push_back({cfg_.target_fps, 80, 1280});
  sent_ = cfg_.ladder.front();
  sent_.fps = std::min(sent_.fps, cfg_.target_fps);
  initial_ = sent_;
}

std::optional<stream_hinter::hint> stream_hinter::in_force() const {
  if (sent_ == initial_)
    return std::nullopt;
  return hint{sent_, sent_reason_};
}

void stream_hinter::on_frame(std::int64_t now_ms,
                             std::optional<std::int64_t> captured_ms) {
  if (!window_start_)
    window_start_ = now_ms;
  if (captured_ms && delays_.size() < max_delays_per_window)
    delays_.push_back(now_ms - *captured_ms);
}

std::optional<stream_hinter::hint> stream_hinter::tick(std::int64_t now_ms,
                                                       std::uint64_t accepted,
                                                       std::uint64_t delivered,
                                                       std::uint64_t dropped) {
  if (!window_start_) {
    window_start_ = now_ms;
    accepted_ = accepted;
    delivered_ = delivered;
    dropped_ = dropped;
    return std::nullopt;
  }
  auto elapsed = now_ms - *window_start_;
  if (elapsed < cfg_.window_ms)
    return std::nullopt;
  auto out = close_window(now_ms, static_cast<double>(elapsed) / 1000.0,
                          accepted, delivered, dropped);
  window_start_ = now_ms;
  delays_.clear();
  accepted_ = accepted;
  delivered_ = delivered;
  dropped_ = dropped;
  return out;
}

std::optional<stream_hinter::hint>
stream_hinter::close_window(std::int64_t now_ms, double seconds,
                            std::uint64_t accepted, std::uint64_t delivered,
                            std::uint64_t dropped) {
  judge_uplink(now_ms);
  judge_ai(now_ms, seconds, accepted, delivered, dropped);

  auto next = cfg_.ladder[level_];
  auto uplink_fps = std::min(next.fps, cfg_.target_fps);
  next.fps = std::min(uplink_fps, ai_fps_);
  if (next == sent_)
    return std::nullopt;
  sent_ = next;
  const char* reason = level_ == 0 && ai_fps_ >= cfg_.target_fps ? "clear"
                       : ai_fps_ < uplink_fps                    ? "ai"
                                                                 : "uplink";
  sent_reason_ = reason;
  return hint{next, reason};
}

void stream_hinter::judge_uplink(std::int64_t now_ms) {
  if (delays_.size() < 3)
    return; // no timestamps (or too few frames): nothing to judge
  floors_.push_back(*std::min_element(delays_.begin(), delays_.end()));
  while (floors_.size() > cfg_.floor_windows)
    floors_.pop_front();
  auto floor = *std::min_element(floors_.begin(), floors_.end());
  auto queue = median(delays_) - floor;
  bool may_change = now_ms - last_change_ms_ >= cfg_.min_interval_ms;
  if (queue > cfg_.queue_high_ms) {
    // A queue shrinking fast is draining after the last step: wait.
    bool draining = last_queue_ms_ && queue * 5 < *last_queue_ms_ * 4;
    if (may_change && !draining && level_ + 1 < cfg_.ladder.size()) {
      ++level_;
      last_change_ms_ = now_ms;
    }
    uplink_calm_since_ = now_ms;
  } else if (queue < cfg_.queue_low_ms) {
    if (may_change && level_ > 0 &&
        now_ms - uplink_calm_since_ >= cfg_.recover_ms) {
      --level_;
      last_change_ms_ = now_ms;
      uplink_calm_since_ = now_ms;
    }
  } else {
    uplink_calm_since_ = now_ms;
  }
  last_queue_ms_ = queue;
}

void stream_hinter::judge_ai(std::int64_t now_ms, double seconds,
                             std::uint64_t accepted, std::uint64_t delivered,
                             std::uint64_t dropped) {
  auto d_accepted = accepted - accepted_;
  if (d_accepted < 5 || seconds <= 0)
    return; // too few frames to judge
  auto drop_share =
      static_cast<double>(dropped - dropped_) / static_cast<double>(d_accepted);
  auto processed_fps = static_cast<double>(delivered - delivered_) / seconds;
  bool may_change = now_ms - last_change_ms_ >= cfg_.min_interval_ms;
  if (drop_share >= cfg_.ai_drop_high) {
    auto fps = static_cast<int>(std::ceil(processed_fps * cfg_.ai_headroom));
    fps = std::clamp(fps, 1, cfg_.target_fps);
    if (may_change && fps < ai_fps_) {
      ai_fps_ = fps;
      last_change_ms_ = now_ms;
    }
    ai_calm_since_ = now_ms;
  } else if (drop_share <= cfg_.ai_drop_low) {
    if (may_change && ai_fps_ < cfg_.target_fps &&
        now_ms - ai_calm_since_ >= cfg_.recover_ms) {
      ai_fps_ = std::min(cfg_.target_fps, ai_fps_ + std::max(2, ai_fps_ / 4));
      last_change_ms_ = now_ms;
      ai_calm_since_ = now_ms;
    }
  } else {
    ai_calm_since_ = now_ms;
  }
}

} // namespace tryon::actors
