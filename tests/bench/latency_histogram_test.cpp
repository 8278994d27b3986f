#include "bench/harness/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

using tryon::bench::latency_histogram;

TEST(LatencyHistogram, EmptyIsZero) {
  latency_histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(0.5), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_DOUBLE_EQ(h.mean(), 0.0);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  latency_histogram h;
  for (std::uint64_t v = 1; v <= 100; ++v)
    h.record(v);
  EXPECT_EQ(h.percentile(0.5), 50u);
  EXPECT_EQ(h.percentile(0.99), 99u);
  EXPECT_EQ(h.percentile(1.0), 100u);
  EXPECT_EQ(h.percentile(0.0), 1u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(LatencyHistogram, BucketsAreContiguousAndMonotonic) {
  std::size_t prev = 0;
  for (std::uint64_t v = 0; v < 1u << 20; v += 7) {
    auto b = latency_histogram::bucket_of(v);
    EXPECT_GE(b, prev);
    EXPECT_LE(v, latency_histogram::bucket_high(b));
    if (b > 0) {
      EXPECT_GT(v, latency_histogram::bucket_high(b - 1));
    }
    prev = b;
  }
}

TEST(LatencyHistogram, PercentilesWithinRelativeError) {
  std::mt19937_64 rng{42};
  std::lognormal_distribution<double> dist(7.0, 1.0); // ~1 ms median
  std::vector<std::uint64_t> values;
  latency_histogram h;
  for (int i = 0; i < 100000; ++i) {
    auto v = static_cast<std::uint64_t>(dist(rng));
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    auto exact = values[static_cast<std::size_t>(q * values.size()) - 1];
    auto approx = h.percentile(q);
    EXPECT_GE(approx, exact) << q;
    EXPECT_LE(approx, exact + exact / 60 + 1) << q;
  }
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.min(), values.front());
}

TEST(LatencyHistogram, MergeEqualsRecordingBoth) {
  latency_histogram a, b, both;
  for (std::uint64_t v = 0; v < 5000; v += 3) {
    (v % 2 ? a : b).record(v * 11);
    both.record(v * 11);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), both.count());
  EXPECT_EQ(a.min(), both.min());
  EXPECT_EQ(a.max(), both.max());
  for (double q : {0.1, 0.5, 0.9, 0.99})
    EXPECT_EQ(a.percentile(q), both.percentile(q));
  a.reset();
  EXPECT_EQ(a.count(), 0u);
}

TEST(LatencyHistogram, HugeValuesAreClamped) {
  latency_histogram h;
  h.record(~std::uint64_t{0});
  EXPECT_EQ(h.count(), 1u);
  EXPECT_GT(h.percentile(0.5), std::uint64_t{1} << 39);
}
