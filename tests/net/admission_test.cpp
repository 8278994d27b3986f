#include "net/admission.hpp"

#include <gtest/gtest.h>

namespace tryon::net {
namespace {

using verdict = connection_admission::verdict;
using namespace std::chrono_literals;

std::vector<config::address_range> ranges(std::vector<const char*> texts) {
  std::vector<config::address_range> out;
  for (auto* t : texts)
    out.push_back(*config::parse_address_range(t));
  return out;
}

TEST(ProbePath, OnlyTheThreeProbes) {
  for (auto p : {"/healthz", "/readyz", "/metrics"})
    EXPECT_TRUE(is_probe_path(p)) << p;
  for (auto p : {"/", "/healthz/", "/api/try-on/stats/", "/metricsx",
                 "/ws/try-on/x/", "/HEALTHZ", ""})
    EXPECT_FALSE(is_probe_path(p)) << p;
}

TEST(ConnectionAdmission, CapsTheNodeAndEachAddress) {
  connection_admission a{3, 2};
  auto [v1, s1] = a.admit("10.0.0.1");
  auto [v2, s2] = a.admit("10.0.0.1");
  auto [v3, s3] = a.admit("10.0.0.1");
  EXPECT_EQ(v1, verdict::admitted);
  EXPECT_EQ(v2, verdict::admitted);
  EXPECT_EQ(v3, verdict::address_full);
  EXPECT_EQ(s3, nullptr);
  auto [v4, s4] = a.admit("10.0.0.2");
  EXPECT_EQ(v4, verdict::admitted);
  EXPECT_EQ(a.admit("10.0.0.3").first, verdict::node_full);
  EXPECT_EQ(a.open(), 3u);
  EXPECT_EQ(a.open_from("10.0.0.1"), 2u);
}

TEST(ConnectionAdmission, ClosingGivesThePlaceBack) {
  connection_admission a{2, 1};
  auto s1 = a.admit("10.0.0.1").second;
  ASSERT_TRUE(s1);
  EXPECT_EQ(a.admit("10.0.0.1").first, verdict::address_full);
  s1.reset();
  EXPECT_EQ(a.open(), 0u);
  EXPECT_EQ(a.open_from("10.0.0.1"), 0u);
  EXPECT_EQ(a.admit("10.0.0.1").first, verdict::admitted);
}

TEST(ConnectionAdmission, UncountedAddressCountsOnlyInTotal) {
  connection_admission a{3, 1};
  auto s1 = a.admit("").second;
  auto s2 = a.admit("").second;
  ASSERT_TRUE(s1 && s2);
  EXPECT_EQ(a.open(), 2u);
  EXPECT_EQ(a.admit("").first, verdict::admitted);
  EXPECT_EQ(a.admit("").first, verdict::admitted); // the temporary released
}

TEST(ConnectionAdmission, MoveToRecountsUnderTheForwardedClient) {
  connection_admission a{10, 1};
  auto proxy1 = a.admit("").second;
  auto proxy2 = a.admit("").second;
  ASSERT_TRUE(proxy1 && proxy2);
  EXPECT_EQ(a.move_to(*proxy1, "198.51.100.7"), verdict::admitted);
  EXPECT_EQ(a.open_from("198.51.100.7"), 1u);
  // A second connection for the same client is over its cap and keeps
  // its old (uncounted) address.
  EXPECT_EQ(a.move_to(*proxy2, "198.51.100.7"), verdict::address_full);
  EXPECT_EQ(proxy2->address(), "");
  // The next request on the first connection names another client.
  EXPECT_EQ(a.move_to(*proxy1, "198.51.100.8"), verdict::admitted);
  EXPECT_EQ(a.open_from("198.51.100.7"), 0u);
  EXPECT_EQ(a.move_to(*proxy2, "198.51.100.7"), verdict::admitted);
  proxy1.reset();
  proxy2.reset();
  EXPECT_EQ(a.open(), 0u);
  EXPECT_EQ(a.open_from("198.51.100.7"), 0u);
  EXPECT_EQ(a.open_from("198.51.100.8"), 0u);
}

TEST(DefaultConnectionCap, LeavesAReserveBelowTheDescriptorLimit) {
  auto cap = default_connection_cap(20000, 4, 2);
  // PostgreSQL, the AI link and a margin for files come off the top.
  EXPECT_LT(cap, 20000u - 4 - 2 - 64);
  EXPECT_GT(cap, 19000u);
  EXPECT_EQ(default_connection_cap(30000, 4, 2), cap + 10000);
  EXPECT_EQ(default_connection_cap(20000, 14, 2), cap - 10);
  EXPECT_EQ(default_connection_cap(20000, 4, 12), cap - 10);
  EXPECT_EQ(default_connection_cap(50, 4, 2), 1u);
}

TEST(EventTally, ReportsTheFirstAtOnceThenOncePerIntervalWithACount) {
  event_tally t{1s};
  auto t0 = event_tally::clock::time_point{} + 100s;
  EXPECT_EQ(t.note(t0), 1u);
  for (int i = 1; i <= 999; ++i)
    EXPECT_FALSE(t.note(t0 + i * 1ms)) << i;
  EXPECT_EQ(t.note(t0 + 1s), 1000u);
  EXPECT_FALSE(t.note(t0 + 1500ms));
  EXPECT_EQ(t.note(t0 + 3s), 2u);
}

TEST(BodyRate, GraceThenMinimumAverage) {
  EXPECT_TRUE(body_rate_ok(0, 5000ms, 1000, 10000ms));
  EXPECT_TRUE(body_rate_ok(0, 10000ms, 1000, 10000ms));
  EXPECT_FALSE(body_rate_ok(0, 10001ms, 1000, 10000ms));
  EXPECT_TRUE(body_rate_ok(5000, 15000ms, 1000, 10000ms));
  EXPECT_FALSE(body_rate_ok(4999, 15000ms, 1000, 10000ms));
}

TEST(ClientAddress, UntrustedPeerIsTheClientWhateverItClaims) {
  auto trusted = ranges({"10.0.0.0/8"});
  EXPECT_EQ(client_address("203.0.113.9", "1.2.3.4", trusted), "203.0.113.9");
  EXPECT_EQ(client_address("203.0.113.9", "1.2.3.4", {}), "203.0.113.9");
}

TEST(ClientAddress, TrustedProxyNamesTheRightMostUntrustedHop) {
  auto trusted = ranges({"10.0.0.0/8", "192.0.2.1"});
  EXPECT_EQ(client_address("10.1.2.3", "198.51.100.7", trusted),
            "198.51.100.7");
  // The client may prepend anything: only hops the proxies added count.
  EXPECT_EQ(
      client_address("10.1.2.3", "6.6.6.6, 198.51.100.7, 192.0.2.1", trusted),
      "198.51.100.7");
  // Several headers arrive joined by commas; blanks are skipped.
  EXPECT_EQ(client_address("10.1.2.3", " 198.51.100.7 ,, 10.9.9.9", trusted),
            "198.51.100.7");
  EXPECT_EQ(client_address("10.1.2.3", "2001:db8::5", trusted), "2001:db8::5");
}

TEST(ClientAddress, GarbageOrNothingLeavesTheLastBelievableHop) {
  auto trusted = ranges({"10.0.0.0/8"});
  EXPECT_EQ(client_address("10.1.2.3", "", trusted), "10.1.2.3");
  EXPECT_EQ(client_address("10.1.2.3", "unknown", trusted), "10.1.2.3");
  EXPECT_EQ(
      client_address("10.1.2.3", "198.51.100.7, not-an-ip, 10.0.0.5", trusted),
      "10.0.0.5");
  // Every hop a proxy: the left-most is as far as the chain goes.
  EXPECT_EQ(client_address("10.1.2.3", "10.0.0.7, 10.0.0.5", trusted),
            "10.0.0.7");
}

TEST(AddressRange, ParsesAddressesAndPrefixes) {
  EXPECT_TRUE(config::parse_address_range("127.0.0.1"));
  EXPECT_TRUE(config::parse_address_range("10.0.0.0/8"));
  EXPECT_TRUE(config::parse_address_range("::1"));
  EXPECT_TRUE(config::parse_address_range("2001:db8::/32"));
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/",
                          "10.0.0.0/x", "host", "1.2.3.4/1000"})
    EXPECT_FALSE(config::parse_address_range(bad)) << bad;
  auto r = *config::parse_address_range("10.0.0.0/8");
  EXPECT_TRUE(config::in_range(r, *config::parse_address("10.255.0.1")));
  EXPECT_FALSE(config::in_range(r, *config::parse_address("11.0.0.1")));
  EXPECT_FALSE(config::in_range(r, *config::parse_address("::1")));
  auto all = *config::parse_address_range("0.0.0.0/0");
  EXPECT_TRUE(config::in_range(all, *config::parse_address("8.8.8.8")));
  EXPECT_FALSE(config::in_range(all, *config::parse_address("2001:db8::1")));
  EXPECT_TRUE(is_trusted("192.0.2.1", ranges({"192.0.2.1"})));
  EXPECT_FALSE(is_trusted("192.0.2.2", ranges({"192.0.2.1"})));
}

} // namespace
} // namespace tryon::net
