// Redis down and back, at the server level (docs/RELIABILITY.md): a Redis
// of the test's own is killed under a running tryon-server. Sessions keep
// streaming and capturing where they are, new ones are served, /readyz says
// "not ready"; once Redis is back every live session's lease is re-taken
// and the take-over subscription re-established, within a second or two.

#include <iostream>
#include <thread>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include <gtest/gtest.h>

#include "fault_kit.hpp"
#include "persistence/redis_client.hpp"
#include "persistence/redis_lease_store.hpp"
#include "real_parts.hpp"
#include "stack_helpers.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t)
      .count();
}

json capture(ws_client& c) {
  c.send_text(R"({"type":"capture"})");
  while (auto m = c.read(10s)) {
    auto [type, code] = kind_of(*m);
    if (type == "frame_saved" || type == "error")
      return json::parse(m->data);
  }
  return {};
}

/// Subscribers of `channel` (PUBSUB NUMSUB); -1 when Redis does not answer.
long long subscribers(const std::string& url, const std::string& channel) {
  try {
    tryon::persistence::redis_client c{url};
    auto r = c.run({"PUBSUB", "NUMSUB", channel});
    if (r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
        r->element[1]->type == REDIS_REPLY_INTEGER)
      return r->element[1]->integer;
  } catch (const std::exception&) {
  }
  return -1;
}

/// The lease owner of `session`, empty when none or Redis is down.
std::string owner(const std::string& url, const std::string& session) {
  try {
    tryon::persistence::redis_lease_store leases{url};
    return leases.owner(session).value_or("");
  } catch (const std::exception&) {
    return {};
  }
}

} // namespace

TEST(RedisFault, DownSessionsKeepStreamingBackLeasesAndNoticesReturn) {
  throwaway_redis redis;
  TRYON_REQUIRE_REAL_PART(redis.ok(), "redis-server (Debian redis-server)");
  if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure())
    return;
  const std::string node = "redis-fault-" + std::to_string(::getpid());
  test_stack::options o;
  o.redis_url = redis.url();
  o.server_env["TRYON_NODE_ID"] = node;
  o.server_env["TRYON_SESSION_LEASE_TTL_MS"] = "900";
  test_stack s{o};
  ASSERT_TRUE(s.ok()) << s.why();
  auto u = s.make_user("rf");
  const auto channel =
      std::string{tryon::persistence::redis_lease_store::notice_prefix} + node;

  auto before = s.make_session(u);
  auto phone = open_ready(s, u, before);
  ASSERT_TRUE(phone);
  ASSERT_EQ(one_frame(*phone, 1).processed, 1);
  EXPECT_EQ(owner(redis.url(), before), node);
  EXPECT_EQ(subscribers(redis.url(), channel), 1);

  redis.kill();
  // Kept streaming and capturing on this node.
  EXPECT_EQ(one_frame(*phone, 2).processed, 1);
  EXPECT_EQ(capture(*phone).value("type", ""), "frame_saved");
  // A new phone is served too (its lease cannot be taken: logged).
  auto during = s.make_session(u);
  auto phone2 = open_ready(s, u, during);
  ASSERT_TRUE(phone2) << "a session opened while Redis was down was refused";
  EXPECT_EQ(one_frame(*phone2, 1).processed, 1);
  // Still streaming after several lease periods without Redis.
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(one_frame(*phone, 3).processed, 1);
  unsigned status = 0;
  auto ready = get_json(s, "/readyz", nullptr, &status);
  EXPECT_EQ(status, 503u);
  EXPECT_NE(ready["checks"]["redis"], "ok") << ready.dump();
  EXPECT_EQ(ready["checks"]["postgresql"], "ok") << ready.dump();

  // Back (empty: a restart without persistence loses every lease).
  ASSERT_TRUE(redis.start());
  auto back = clock_type::now();
  EXPECT_TRUE(eventually(
      [&] {
        return owner(redis.url(), before) == node &&
               owner(redis.url(), during) == node;
      },
      5s))
      << "leases not re-taken after Redis came back";
  auto leases_ms = ms_since(back);
  EXPECT_TRUE(
      eventually([&] { return subscribers(redis.url(), channel) == 1; }, 5s))
      << "take-over subscription not re-established";
  auto notices_ms = ms_since(back);
  std::cout << "[ figures ] after redis start: leases re-taken in " << leases_ms
            << " ms, subscription back in " << notices_ms << " ms\n";
  EXPECT_TRUE(eventually(
      [&] {
        unsigned st = 0;
        get_json(s, "/readyz", nullptr, &st);
        return st == 200;
      },
      5s));
  EXPECT_EQ(one_frame(*phone, 4).processed, 1);
  EXPECT_EQ(one_frame(*phone2, 2).processed, 1);
}
