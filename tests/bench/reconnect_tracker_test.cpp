#include "bench/harness/reconnect_tracker.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace tryon::bench;
using namespace std::chrono_literals;

TEST(ReconnectTracker, WhichClosesComeBack) {
  EXPECT_TRUE(is_reconnect_close(4009)); // taken over
  EXPECT_TRUE(is_reconnect_close(1012)); // node draining
  EXPECT_TRUE(is_reconnect_close(1001)); // going away
  EXPECT_TRUE(is_reconnect_close(0));    // dropped, no close frame
  EXPECT_FALSE(is_reconnect_close(1000));
  EXPECT_FALSE(is_reconnect_close(1008));
  EXPECT_FALSE(is_reconnect_close(4001));
}

TEST(ReconnectTracker, MeasuresCloseToReadyAndFirstFrame) {
  reconnect_tracker t{5s};
  const auto t0 = bench_clock::time_point{} + 100s;
  EXPECT_FALSE(t.on_ready(t0)); // no outage yet
  auto at = t.on_closed(1012, t0);
  ASSERT_TRUE(at);
  EXPECT_EQ(*at, t0); // reconnects at once
  EXPECT_TRUE(t.down());
  EXPECT_FALSE(t.on_processed(t0 + 10ms)); // not ready yet
  auto ready = t.on_ready(t0 + 300ms);
  ASSERT_TRUE(ready);
  EXPECT_EQ(*ready, 300ms);
  EXPECT_FALSE(t.down());
  auto first = t.on_processed(t0 + 450ms);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, 450ms);
  EXPECT_FALSE(t.on_processed(t0 + 500ms)); // once per outage
  EXPECT_EQ(t.outages(), 1u);
  EXPECT_EQ(t.recovered(), 1u);
  EXPECT_EQ(t.lost(), 0u);
  EXPECT_EQ(t.attempts(), 1u);
}

TEST(ReconnectTracker, FinalClosesDoNotReconnect) {
  reconnect_tracker t{5s};
  const auto t0 = bench_clock::time_point{} + 1s;
  EXPECT_FALSE(t.on_closed(1000, t0));
  EXPECT_FALSE(t.on_closed(4001, t0));
  EXPECT_FALSE(t.down());
  EXPECT_EQ(t.outages(), 0u);
  EXPECT_EQ(t.lost(), 0u);
}

TEST(ReconnectTracker, RetriesWithBackoffThenGivesUp) {
  reconnect_tracker t{1s};
  const auto t0 = bench_clock::time_point{} + 1s;
  ASSERT_TRUE(t.on_closed(0, t0));
  // Failed attempts: retry after 50, 100, 200, 400 ms...
  auto now = t0;
  std::vector<bench_clock::duration> gaps;
  while (auto next = t.on_attempt_failed(now)) {
    gaps.push_back(*next - now);
    now = *next;
  }
  ASSERT_GE(gaps.size(), 3u);
  EXPECT_EQ(gaps[0], 50ms);
  EXPECT_EQ(gaps[1], 100ms);
  EXPECT_EQ(gaps[2], 200ms);
  EXPECT_LE(now - t0, 1s); // never retries past the bound
  EXPECT_FALSE(t.down());
  EXPECT_EQ(t.lost(), 1u);
  EXPECT_EQ(t.recovered(), 0u);
  EXPECT_FALSE(t.on_ready(now)); // too late: not counted as recovered
}

TEST(ReconnectTracker, AttemptClosingBeforeReadyIsARetry) {
  reconnect_tracker t{10s};
  const auto t0 = bench_clock::time_point{} + 1s;
  ASSERT_TRUE(t.on_closed(4009, t0));
  // The new connection opened but was closed (e.g. 1012 again) before
  // session_ready: the same outage goes on, retried after the backoff.
  auto next = t.on_closed(1000, t0 + 20ms);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, t0 + 70ms);
  EXPECT_EQ(t.outages(), 1u);
  EXPECT_EQ(t.attempts(), 2u);
  auto ready = t.on_ready(t0 + 500ms);
  ASSERT_TRUE(ready);
  EXPECT_EQ(*ready, 500ms); // from the first close, not the retry
}
