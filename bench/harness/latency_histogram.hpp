#pragma once

#include <cstdint>
#include <vector>

namespace tryon::bench {

/// Latencies in microseconds in log-linear buckets: exact below 128 µs,
/// then 64 buckets per power of two (relative error under 1.6 %). Fixed
/// memory (~18 KB) however many samples; mergeable.
class latency_histogram {
public:
  latency_histogram();

  /// Adds one sample (values above ~12 days are clamped).
  void record(std::uint64_t us);

  /// Adds every sample of `other`.
  void merge(const latency_histogram& other);

  /// Forgets every sample.
  void reset();

  /// Number of samples.
  std::uint64_t count() const { return count_; }

  /// Smallest sample (0 when empty).
  std::uint64_t min() const { return count_ ? min_ : 0; }

  /// Largest sample (0 when empty).
  std::uint64_t max() const { return max_; }

  /// Arithmetic mean (0 when empty).
  double mean() const;

  /// The sample at quantile `q` in [0, 1]: the upper edge of the bucket
  /// holding the ceil(q * count)-th sample, clamped to [min, max]; 0 when
  /// empty.
  std::uint64_t percentile(double q) const;

  /// Bucket index of a value (exposed for tests).
  static std::size_t bucket_of(std::uint64_t us);

  /// Largest value that falls in bucket `index` (exposed for tests).
  static std::uint64_t bucket_high(std::size_t index);

private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = 0;
  std::uint64_t max_ = 0;
  long double sum_ = 0;
};

} // namespace tryon::bench
