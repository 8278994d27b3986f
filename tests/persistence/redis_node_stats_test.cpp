#include "persistence/redis_node_stats.hpp"

#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>

#include "persistence/random_hex.hpp"
#include "persistence/store_error.hpp"
#include "real_parts.hpp"

using namespace tryon::persistence;
using namespace std::chrono_literals;

namespace {

/// A node id no other test (or test process) uses.
std::string fresh_node() {
  return "test-" + random_hex(6);
}

} // namespace

TEST(RedisNodeStatsTest, UnreachableServerIsAStoreError) {
  redis_node_stats stats{"redis://127.0.0.1:1", 300ms};
  EXPECT_THROW(stats.publish("n", {{"a", 1}}, 5s), store_error);
  EXPECT_THROW(stats.read_all(), store_error);
  redis_node_stats garbage{"nonsense"};
  EXPECT_THROW(garbage.read_all(), store_error);
}

TEST(RedisNodeStatsTest, PublishesReadsAndWithdrawsNodes) {
  const char* url = std::getenv("TRYON_TEST_REDIS_URL");
  TRYON_REQUIRE_REAL_PART(url != nullptr,
                          "Redis (TRYON_TEST_REDIS_URL is not set)");
  redis_node_stats stats{url};
  auto a = fresh_node();
  auto b = fresh_node();
  stats.publish(a, {{"live_sessions", 2}}, 30s);
  stats.publish(b, {{"live_sessions", 5}}, 30s);
  auto all = stats.read_all();
  ASSERT_TRUE(all.count(a));
  ASSERT_TRUE(all.count(b));
  EXPECT_EQ(all[a]["live_sessions"], 2);
  stats.publish(a, {{"live_sessions", 3}}, 30s); // overwrites
  EXPECT_EQ(stats.read_all()[a]["live_sessions"], 3);
  stats.remove(a);
  all = stats.read_all();
  EXPECT_FALSE(all.count(a));
  EXPECT_TRUE(all.count(b));
  stats.remove(b);
}

TEST(RedisNodeStatsTest, DeadNodesExpire) {
  const char* url = std::getenv("TRYON_TEST_REDIS_URL");
  TRYON_REQUIRE_REAL_PART(url != nullptr,
                          "Redis (TRYON_TEST_REDIS_URL is not set)");
  redis_node_stats stats{url};
  auto node = fresh_node();
  stats.publish(node, {{"x", 1}}, 1s);
  EXPECT_TRUE(stats.read_all().count(node));
  std::this_thread::sleep_for(2100ms);
  EXPECT_FALSE(stats.read_all().count(node));
}
