#include "persistence/redis_url.hpp"

#include <gtest/gtest.h>

using namespace tryon::persistence;

TEST(RedisUrlTest, ParsesHostPortAndDb) {
  auto a = parse_redis_url("redis://127.0.0.1:56499/3");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 56499);
  EXPECT_EQ(a->db, 3);
  EXPECT_EQ(a->password, "");
  auto d = parse_redis_url("redis://cache");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->host, "cache");
  EXPECT_EQ(d->port, 6379);
  EXPECT_EQ(d->db, 0);
  auto p = parse_redis_url("redis://:s3cret@cache:7000/");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->password, "s3cret");
  EXPECT_EQ(p->port, 7000);
}

TEST(RedisUrlTest, AclUserIpv6AndEncodedPassword) {
  auto a = parse_redis_url("redis://tryon:p%40ss@[::1]:6380/2");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->user, "tryon");
  EXPECT_EQ(a->password, "p@ss");
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->db, 2);
}

TEST(RedisUrlTest, RejectsMalformedUrls) {
  for (const char* bad :
       {"", "http://x", "redis://", "redis://:6379", "redis://h:0",
        "redis://h:70000", "redis://h:12ab", "redis://h/x", "redis://h/-1"})
    EXPECT_FALSE(parse_redis_url(bad)) << bad;
}
