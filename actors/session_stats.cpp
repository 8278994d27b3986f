#include "actors/session_stats.hpp"

#include <algorithm>

namespace tryon::actors {

void latency_window::add(double ms) {
  if (ring_.size() < capacity_)
    ring_.push_back(ms);
  else
    ring_[next_] = ms;
  next_ = (next_ + 1) % capacity_;
  ++count_;
  sum_ += ms;
}

double latency_window::percentile(double p) const {
  if (ring_.empty())
    return 0;
  std::vector<double> sorted = ring_;
  auto rank = static_cast<std::size_t>(
      p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
  rank = std::min(rank, sorted.size() - 1);
  std::nth_element(sorted.begin(),
                   sorted.begin() + static_cast<std::ptrdiff_t>(rank),
                   sorted.end());
  return sorted[rank];
}

nlohmann::json session_stats::to_json(std::uint64_t accepted,
                                      std::uint64_t processed,
                                      std::uint64_t dropped) const {
  std::uint64_t error_total = 0;
  for (const auto& [code, n] : errors)
    error_total += n;
  nlohmann::json j{{"frames_received", frames_received},
                   {"frames_accepted", accepted},
                   {"frames_processed", processed},
                   {"frames_dropped", dropped},
                   {"frames_rejected", frames_rejected},
                   {"frames_while_paused", frames_paused},
                   {"errors", error_total},
                   {"errors_by_code", errors},
                   {"processing_ms_mean", processing.mean()},
                   {"processing_ms_p95", processing.percentile(95)},
                   {"end_to_end_ms_mean", end_to_end.mean()},
                   {"end_to_end_ms_p95", end_to_end.percentile(95)}};
  if (stream_hints > 0) // only sessions that asked for hints get them
    j["stream_hints"] = stream_hints;
  return j;
}

} // namespace tryon::actors
