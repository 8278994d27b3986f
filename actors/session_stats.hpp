#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tryon::actors {

/// Latency samples in a fixed-size ring: percentiles over the most recent
/// window, constant memory however long a session runs.
class latency_window {
public:
  /// Keeps the last `capacity` samples.
  explicit latency_window(std::size_t capacity = 512) : capacity_(capacity) {}

  /// Adds one sample in milliseconds.
  void add(double ms);

  /// The p-th percentile (0..100) of the window; 0 when empty.
  double percentile(double p) const;

  /// Mean over every sample ever added.
  double mean() const {
    return count_ ? sum_ / static_cast<double>(count_) : 0;
  }

  /// Number of samples ever added.
  std::uint64_t count() const { return count_; }

private:
  std::size_t capacity_;
  std::vector<double> ring_;
  std::size_t next_ = 0;
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

/// The figures a session writes to its `stats` column.
struct session_stats {
  std::uint64_t frames_received = 0;
  std::uint64_t frames_rejected = 0;
  std::uint64_t frames_paused = 0;
  std::uint64_t stream_hints = 0;              ///< stream_hint messages sent
  std::map<std::string, std::uint64_t> errors; ///< by error code
  latency_window processing;                   ///< AI round trip, ms
  latency_window end_to_end; ///< frame received -> processed frame written, ms

  /// The JSON written to the database (frames, errors, latency).
  nlohmann::json to_json(std::uint64_t accepted, std::uint64_t processed,
                         std::uint64_t dropped) const;
};

} // namespace tryon::actors
