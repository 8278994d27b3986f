#include "config/url.hpp"

#include <gtest/gtest.h>

using tryon::config::origin_of;
using tryon::config::parse_url;

TEST(Url, ParsesWebSocketUrl) {
  auto u = parse_url("ws://localhost:8002/ws/tryon");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "ws");
  EXPECT_EQ(u->host, "localhost");
  EXPECT_EQ(u->port, 8002);
  EXPECT_EQ(u->target, "/ws/tryon");
}

TEST(Url, DefaultPortsAndUserInfo) {
  auto u = parse_url("postgresql://tryon@127.0.0.1/tryon");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 5432);
  EXPECT_EQ(parse_url("redis://127.0.0.1")->port, 6379);
  EXPECT_EQ(parse_url("http://a")->target, "/");
  EXPECT_EQ(parse_url("http://a?x=1")->target, "/?x=1");
}

TEST(Url, RejectsMalformed) {
  EXPECT_FALSE(parse_url("localhost:8002"));
  EXPECT_FALSE(parse_url("ws://"));
  EXPECT_FALSE(parse_url("ws://h:0/"));
  EXPECT_FALSE(parse_url("ws://h:99999/"));
  EXPECT_FALSE(parse_url("ws://h:12ab/"));
}

TEST(Url, OriginOmitsDefaultPort) {
  EXPECT_EQ(origin_of("http://example.com/x"), "http://example.com");
  EXPECT_EQ(origin_of("http://127.0.0.1:8000/"), "http://127.0.0.1:8000");
}

TEST(RedactUrl, HidesPasswordsOnly) {
  using tryon::config::redact_url;
  EXPECT_EQ(redact_url("postgresql://tryon:pw@db:5432/tryon"),
            "postgresql://tryon:***@db:5432/tryon");
  EXPECT_EQ(redact_url("redis://:pw@127.0.0.1:6379/2"),
            "redis://:***@127.0.0.1:6379/2");
  EXPECT_EQ(redact_url("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
  EXPECT_EQ(redact_url("postgresql://u@h/db?password=pw&sslmode=require"),
            "postgresql://u@h/db?password=***&sslmode=require");
  EXPECT_EQ(redact_url("u:pw@h"), "***@h");
  EXPECT_EQ(redact_url("bad a://x:pw@h 'b://y:pw2@h'"),
            "bad a://x:***@h 'b://y:***@h'");
}
