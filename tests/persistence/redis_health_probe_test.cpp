#include "persistence/redis_health_probe.hpp"

#include <cstdlib>

#include "real_parts.hpp"
#include <gtest/gtest.h>

using namespace tryon::persistence;
using namespace std::chrono_literals;

TEST(RedisHealthProbeTest, ReportsAnUnreachableServer) {
  redis_health_probe probe{"redis://127.0.0.1:1", 300ms};
  std::string detail;
  EXPECT_FALSE(probe.ping(detail));
  EXPECT_NE(detail.find("redis"), std::string::npos) << detail;
  redis_health_probe garbage{"nonsense"};
  EXPECT_FALSE(garbage.ping(detail));
}

TEST(RedisHealthProbeTest, PingsARealServer) {
  const char* url = std::getenv("TRYON_TEST_REDIS_URL");
  TRYON_REQUIRE_REAL_PART(url != nullptr,
                          "Redis (TRYON_TEST_REDIS_URL is not set)");
  redis_health_probe probe{url};
  std::string detail;
  EXPECT_TRUE(probe.ping(detail)) << detail;
}
