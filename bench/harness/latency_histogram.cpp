#include "bench/harness/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace tryon::bench {

namespace {

constexpr int sub_bits = 6; // 64 buckets per octave
constexpr std::uint64_t sub_count = 1u << sub_bits;
constexpr std::uint64_t exact_limit = 2 * sub_count; // 0..127 exact
constexpr int max_bits = 40;                         // 2^40 µs ~ 12.7 days
constexpr std::size_t bucket_count =
    exact_limit + (max_bits - sub_bits - 1) * sub_count;
constexpr std::uint64_t max_value = (std::uint64_t{1} << max_bits) - 1;

int msb(std::uint64_t v) {
  return 63 - __builtin_clzll(v);
}

} // namespace

latency_histogram::latency_histogram() : buckets_(bucket_count, 0) {}

std::size_t latency_histogram::bucket_of(std::uint64_t us) {
  us = std::min(us, max_value);
  if (us < exact_limit)
    return static_cast<std::size_t>(us);
  const int shift = msb(us) - sub_bits;  // >= 1
  const std::uint64_t top = us >> shift; // in [64, 127]
  return static_cast<std::size_t>(exact_limit + (shift - 1) * sub_count +
                                  (top - sub_count));
}

std::uint64_t latency_histogram::bucket_high(std::size_t index) {
  if (index < exact_limit)
    return index;
  const std::uint64_t rel = index - exact_limit;
  const int shift = static_cast<int>(rel / sub_count) + 1;
  const std::uint64_t top = rel % sub_count + sub_count;
  return ((top + 1) << shift) - 1;
}

void latency_histogram::record(std::uint64_t us) {
  us = std::min(us, max_value);
  ++buckets_[bucket_of(us)];
  min_ = count_ ? std::min(min_, us) : us;
  max_ = std::max(max_, us);
  ++count_;
  sum_ += us;
}

void latency_histogram::merge(const latency_histogram& other) {
  if (other.count_ == 0)
    return;
  for (std::size_t i = 0; i < buckets_.size(); ++i)
    buckets_[i] += other.buckets_[i];
  min_ = count_ ? std::min(min_, other.min_) : other.min_;
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

void latency_histogram::reset() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = min_ = max_ = 0;
  sum_ = 0;
}

double latency_histogram::mean() const {
  return count_ ? static_cast<double>(sum_ / count_) : 0.0;
}

std::uint64_t latency_histogram::percentile(double q) const {
  if (count_ == 0)
    return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * count_));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank)
      return std::clamp(bucket_high(i), min_, max_);
  }
  return max_;
}

} // namespace tryon::bench
