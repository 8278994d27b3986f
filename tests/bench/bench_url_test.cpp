#include "bench/harness/bench_url.hpp"

#include <arpa/inet.h>

#include <gtest/gtest.h>

using namespace tryon::bench;

TEST(BenchUrl, ParsesHttpAndWs) {
  auto u = parse_bench_url("http://127.0.0.1:8100");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8100);
  EXPECT_EQ(u->target, "/");
  auto w = parse_bench_url("ws://localhost:8002/ws/tryon");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->target, "/ws/tryon");
  EXPECT_EQ(connect_address(*w), "127.0.0.1");
  auto v6 = parse_bench_url("http://[::1]:9000/x");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(host_header(*v6), "[::1]:9000");
  EXPECT_EQ(parse_bench_url("http://127.0.0.1")->port, 80);
}

TEST(BenchUrl, ParsesHttpsAndWss) {
  auto u = parse_bench_url("https://127.0.0.1:8443/api");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(plain_scheme(*u), "http");
  auto w = parse_bench_url("wss://localhost/ws/tryon");
  ASSERT_TRUE(w);
  EXPECT_TRUE(w->tls);
  EXPECT_EQ(w->port, 443);
  EXPECT_EQ(plain_scheme(*w), "ws");
  EXPECT_EQ(host_header(*w), "localhost:443");
  EXPECT_FALSE(parse_bench_url("http://127.0.0.1")->tls);
}

TEST(BenchUrl, RejectsOtherSchemesAndJunk) {
  EXPECT_FALSE(parse_bench_url("ftp://127.0.0.1"));
  EXPECT_FALSE(parse_bench_url("httpss://127.0.0.1/ws"));
  EXPECT_FALSE(parse_bench_url("127.0.0.1:8000"));
  EXPECT_FALSE(parse_bench_url("http://:80"));
  EXPECT_FALSE(parse_bench_url("http://127.0.0.1:0"));
  EXPECT_FALSE(parse_bench_url("http://127.0.0.1:99999"));
  EXPECT_FALSE(parse_bench_url("http://user@127.0.0.1"));
}

TEST(BenchUrl, LoopbackOnly) {
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
  EXPECT_FALSE(is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(is_loopback_host("example.com"));
  EXPECT_FALSE(is_loopback_host("127.0.0.1.example.com"));
  EXPECT_FALSE(is_loopback_host("::"));
}

TEST(BenchUrl, JoinTarget) {
  auto u = *parse_bench_url("http://127.0.0.1:8000");
  EXPECT_EQ(join_target(u, "/api/try-on/stats/"), "/api/try-on/stats/");
  auto p = *parse_bench_url("http://127.0.0.1:8000/prefix/?x=1");
  EXPECT_EQ(join_target(p, "/api/"), "/prefix/api/");
}

namespace {

local_ipv4 ip(const char* dotted, int prefix) {
  in_addr a{};
  inet_pton(AF_INET, dotted, &a);
  return {ntohl(a.s_addr), prefix};
}

} // namespace

TEST(BenchUrl, PointToPointPeersArePrivateFarEndsOfSlash30Or31Links) {
  // The phone's end of bench/uplink's veth pair, plus loopback and a LAN.
  const std::vector<local_ipv4> local{ip("127.0.0.1", 8), ip("10.203.0.2", 30),
                                      ip("192.168.1.20", 24)};
  EXPECT_TRUE(is_point_to_point_peer("10.203.0.1", local));
  EXPECT_FALSE(is_point_to_point_peer("10.203.0.2", local));  // ourselves
  EXPECT_FALSE(is_point_to_point_peer("10.203.0.5", local));  // next /30
  EXPECT_FALSE(is_point_to_point_peer("192.168.1.1", local)); // a LAN
  EXPECT_FALSE(is_point_to_point_peer("10.1.2.3", local));
  EXPECT_FALSE(is_point_to_point_peer("127.0.0.2", local));
  EXPECT_FALSE(is_point_to_point_peer("localhost", local));
  EXPECT_FALSE(is_point_to_point_peer("", local));
  EXPECT_TRUE(is_point_to_point_peer("10.0.0.1", {ip("10.0.0.0", 31)}));
  EXPECT_TRUE(is_point_to_point_peer("172.20.0.2", {ip("172.20.0.1", 30)}));
  // Public addresses never, whatever the link.
  EXPECT_FALSE(is_point_to_point_peer("172.32.0.2", {ip("172.32.0.1", 30)}));
  EXPECT_FALSE(is_point_to_point_peer("8.8.8.9", {ip("8.8.8.10", 30)}));
  EXPECT_FALSE(local_ipv4_addresses().empty()); // loopback at least
}
