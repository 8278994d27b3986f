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

TEST(Url, Ipv6LiteralsKeepTheirPort) {
  // The bug the hand-written parser had: host "[::1]:8002", port 80.
  auto u = parse_url("ws://[::1]:8002/ws");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_TRUE(u->ipv6);
  EXPECT_EQ(u->port, 8002);
  EXPECT_EQ(u->target, "/ws");
  EXPECT_EQ(tryon::config::host_and_port(*u), "[::1]:8002");
  auto d = parse_url("http://[2001:db8::7]/x?y=1#frag");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->host, "2001:db8::7");
  EXPECT_EQ(d->port, 80);
  EXPECT_EQ(d->path, "/x");
  EXPECT_EQ(d->query, "y=1");
  EXPECT_EQ(d->target, "/x?y=1");
  EXPECT_FALSE(parse_url("ws://[::1/ws"));
  EXPECT_FALSE(parse_url("ws://[::1]x/ws"));
}

TEST(Url, UserInfoIsSplitAndPercentDecoded) {
  auto u = parse_url("postgresql://app%40ops:p%40ss%3Aw0rd@db:5433/tryon");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->has_user_info);
  EXPECT_EQ(u->user, "app@ops");
  EXPECT_EQ(u->password, "p@ss:w0rd");
  EXPECT_EQ(u->host, "db");
  EXPECT_EQ(u->port, 5433);
  auto r = parse_url("redis://:s3cret@cache");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->user, "");
  EXPECT_EQ(r->password, "s3cret");
  EXPECT_FALSE(parse_url("redis://:bad%zz@cache"));
  EXPECT_FALSE(parse_url("redis://:nul%00@cache"));
}

TEST(Url, SchemeIsCaseInsensitiveAndTextMustBeAUri) {
  EXPECT_EQ(parse_url("HTTP://a")->scheme, "http");
  EXPECT_EQ(parse_url("HTTP://a")->port, 80);
  EXPECT_FALSE(parse_url(""));
  EXPECT_FALSE(parse_url("ws://h o/"));
  EXPECT_FALSE(parse_url("ws://h:/"));
  EXPECT_FALSE(parse_url("file:///tmp/x"));
  EXPECT_FALSE(parse_url("mailto:a@b"));
}

TEST(PercentDecode, DecodesAndRefusesBrokenEscapes) {
  using tryon::config::percent_decode;
  EXPECT_EQ(percent_decode("a%20b%2F"), "a b/");
  EXPECT_EQ(percent_decode("plain"), "plain");
  EXPECT_FALSE(percent_decode("%2"));
  EXPECT_FALSE(percent_decode("%"));
  EXPECT_FALSE(percent_decode("%g0"));
  EXPECT_FALSE(percent_decode("%00"));
  EXPECT_FALSE(percent_decode(std::string_view{"a\0b", 3}));
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
}

TEST(Url, OriginOmitsDefaultPort) {
  EXPECT_EQ(origin_of("http://example.com/x"), "http://example.com");
  EXPECT_EQ(origin_of("http://127.0.0.1:8000/"), "http://127.0.0.1:8000");
  EXPECT_EQ(origin_of("https://[::1]:8443/app"), "https://[::1]:8443");
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
