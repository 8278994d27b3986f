// Token buckets: the arithmetic, the node-local limiter (bounded memory),
// the same limits in Redis, and the fallback to local buckets while Redis
// is unreachable.

#include "persistence/rate_limiter.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "persistence/digest.hpp"
#include "persistence/live_session_limiter.hpp"
#include "persistence/random_hex.hpp"
#include "real_parts.hpp"

using namespace tryon::persistence;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t second = 1000000;

// A Redis port nothing listens on (the test for the fallback).
constexpr const char* dead_redis = "redis://127.0.0.1:1";

} // namespace

TEST(TokenBucket, StartsFullAndRefusesBeyondTheBurst) {
  bucket_state s;
  bucket_limit l{3, 1};
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(bucket_take(s, l, 1, 10 * second).allowed) << i;
  auto d = bucket_take(s, l, 1, 10 * second);
  EXPECT_FALSE(d.allowed);
  EXPECT_DOUBLE_EQ(d.retry_after_s, 1.0);
}

TEST(TokenBucket, RefillsAtItsRateUpToCapacity) {
  bucket_state s;
  bucket_limit l{2, 0.5}; // one token every 2 s
  EXPECT_TRUE(bucket_take(s, l, 2, 1 * second).allowed);
  auto d = bucket_take(s, l, 1, 2 * second); // half a token back
  EXPECT_FALSE(d.allowed);
  EXPECT_DOUBLE_EQ(d.retry_after_s, 1.0);
  EXPECT_TRUE(bucket_take(s, l, 1, 3 * second).allowed);
  // A long pause refills to capacity, not beyond.
  EXPECT_TRUE(bucket_take(s, l, 2, 1000 * second).allowed);
  EXPECT_FALSE(bucket_take(s, l, 1, 1000 * second).allowed);
}

TEST(TokenBucket, ACostAboveTheBalanceWaitsForTheDifference) {
  bucket_state s;
  bucket_limit l{100, 10};
  EXPECT_TRUE(bucket_take(s, l, 70, second).allowed);
  auto d = bucket_take(s, l, 50, second); // 30 there, 20 missing
  EXPECT_FALSE(d.allowed);
  EXPECT_DOUBLE_EQ(d.retry_after_s, 2.0);
  // A refused take costs nothing.
  EXPECT_TRUE(bucket_take(s, l, 30, second).allowed);
}

TEST(TokenBucket, ClockGoingBackwardsAddsNothing) {
  bucket_state s;
  bucket_limit l{1, 1};
  EXPECT_TRUE(bucket_take(s, l, 1, 10 * second).allowed);
  EXPECT_FALSE(bucket_take(s, l, 1, 5 * second).allowed);
  EXPECT_FALSE(bucket_take(s, l, 1, 10 * second).allowed);
}

TEST(TokenBucket, RetryAfterIsWholeSecondsAtLeastOne) {
  EXPECT_EQ(retry_after_seconds(0.01), 1);
  EXPECT_EQ(retry_after_seconds(1.0), 1);
  EXPECT_EQ(retry_after_seconds(1.2), 2);
  EXPECT_EQ(retry_after_seconds(59.9), 60);
}

TEST(LocalRateLimiter, KeysAreIndependent) {
  std::int64_t now = second;
  local_rate_limiter rl{100, [&] { return now; }};
  bucket_limit l{2, 1};
  EXPECT_TRUE(rl.take("a", l, 2).allowed);
  EXPECT_FALSE(rl.take("a", l, 1).allowed);
  EXPECT_TRUE(rl.take("b", l, 1).allowed);
  now += second;
  EXPECT_TRUE(rl.take("a", l, 1).allowed);
}

TEST(LocalRateLimiter, MemoryStaysBoundedUnderAFloodOfKeys) {
  std::int64_t now = second;
  local_rate_limiter rl{50, [&] { return now; }};
  bucket_limit l{5, 1};
  for (int i = 0; i < 1000; ++i)
    rl.take("k" + std::to_string(i), l, 1);
  EXPECT_LE(rl.size(), 50u);
  // Refilled buckets are dropped first: a drained one survives a flood of
  // keys whose buckets are full again.
  local_rate_limiter kept{10, [&] { return now; }};
  EXPECT_TRUE(kept.take("hot", bucket_limit{1, 0.001}, 1).allowed);
  for (int i = 0; i < 9; ++i)
    kept.take("cold" + std::to_string(i), bucket_limit{5, 1000}, 1);
  now += second; // the cold ones refill; "hot" does not
  kept.take("new", l, 1);
  EXPECT_FALSE(kept.take("hot", bucket_limit{1, 0.001}, 1).allowed);
}

TEST(Digest, Sha256MatchesKnownVectors) {
  EXPECT_EQ(sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST(RedisRateLimiter, SharesBucketsBetweenNodes) {
  const char* url = std::getenv("TRYON_TEST_REDIS_URL");
  TRYON_REQUIRE_REAL_PART(url != nullptr,
                          "Redis (TRYON_TEST_REDIS_URL; run scripts/test)");
  auto prefix = "test:rl:" + random_hex(6) + ":";
  // Two limiters on one Redis: two nodes of one deployment.
  redis_rate_limiter a{url, 1000ms, 2000ms, prefix};
  redis_rate_limiter b{url, 1000ms, 2000ms, prefix};
  bucket_limit l{4, 0.01};
  EXPECT_TRUE(a.take("u1", l, 2).allowed);
  EXPECT_TRUE(b.take("u1", l, 2).allowed);
  auto d = a.take("u1", l, 1);
  EXPECT_FALSE(d.allowed);
  EXPECT_GT(d.retry_after_s, 50.0); // 1 token at 0.01/s: ~100 s
  EXPECT_LE(d.retry_after_s, 100.0);
  EXPECT_TRUE(b.take("u2", l, 4).allowed);
  EXPECT_EQ(a.fallback_decisions() + b.fallback_decisions(), 0u);
}

TEST(RedisRateLimiter, FallsBackToLocalBucketsWhileRedisIsDown) {
  redis_rate_limiter rl{dead_redis, 200ms, 60000ms};
  bucket_limit l{3, 0.01};
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(rl.take("u", l, 1).allowed) << i;
  // Still limited: the local bucket is as strict as the shared one.
  EXPECT_FALSE(rl.take("u", l, 1).allowed);
  EXPECT_EQ(rl.fallback_decisions(), 4u);
}

TEST(LiveSessionLimiter, CountsSessionsOncePerIdAndForgetsExpiredOnes) {
  local_live_session_limiter live;
  auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  auto later = now_us + 3600 * second;
  EXPECT_TRUE(live.acquire(1, "s1", later, 2));
  EXPECT_TRUE(live.acquire(1, "s1", later, 2)); // a reconnect
  EXPECT_TRUE(live.acquire(1, "s2", later, 2));
  EXPECT_FALSE(live.acquire(1, "s3", later, 2));
  EXPECT_TRUE(live.acquire(2, "s9", later, 2)); // another user
  live.release(1, "s1");
  EXPECT_TRUE(live.acquire(1, "s3", later, 2));
  // An entry whose session expired no longer counts.
  EXPECT_TRUE(live.acquire(3, "old", now_us - second, 1));
  EXPECT_TRUE(live.acquire(3, "new", later, 1));
}

TEST(LiveSessionLimiter, RedisCountsAcrossNodesAndFallsBack) {
  const char* url = std::getenv("TRYON_TEST_REDIS_URL");
  TRYON_REQUIRE_REAL_PART(url != nullptr,
                          "Redis (TRYON_TEST_REDIS_URL; run scripts/test)");
  auto prefix = "test:live:" + random_hex(6) + ":";
  redis_live_session_limiter a{url, 1000ms, 2000ms, prefix};
  redis_live_session_limiter b{url, 1000ms, 2000ms, prefix};
  auto later = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count() +
               3600 * second;
  EXPECT_TRUE(a.acquire(7, "s1", later, 2));
  EXPECT_TRUE(b.acquire(7, "s2", later, 2));
  EXPECT_FALSE(a.acquire(7, "s3", later, 2));
  EXPECT_TRUE(b.acquire(7, "s1", later, 2)); // s1 moved to node b
  b.release(7, "s2");
  EXPECT_TRUE(a.acquire(7, "s3", later, 2));
  redis_live_session_limiter down{dead_redis, 200ms, 60000ms};
  EXPECT_TRUE(down.acquire(7, "x", later, 1));
  EXPECT_FALSE(down.acquire(7, "y", later, 1));
}
