// A node that dies (docs/RELIABILITY.md): two nodes share PostgreSQL and
// Redis; one is killed with SIGKILL mid-stream. Its phones reconnect to the
// other and are served at once; a session nobody reclaims is ended in the
// database (`error`) once its lease has expired, not left `active`.

#include <csignal>
#include <cstdlib>
#include <iostream>

#include <gtest/gtest.h>

#include "persistence/redis_lease_store.hpp"
#include "real_parts.hpp"
#include "stack_helpers.hpp"

using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

using clock_type = std::chrono::steady_clock;

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t)
      .count();
}

std::unique_ptr<ws_client> ready_on(test_stack& s, std::size_t node,
                                    const test_user& u,
                                    const std::string& session) {
  auto c = std::make_unique<ws_client>(
      s.node_port(node), "/ws/try-on/" + session + "/",
      std::vector<std::pair<std::string, std::string>>{u.auth()});
  if (!c->open())
    return nullptr;
  c->send_text(R"({"type":"init_session"})");
  if (!c->read_type("session_ready", 20s))
    return nullptr;
  return c;
}

} // namespace

TEST(NodeDeath, PhonesMoveToTheOtherNodeAndAbandonedSessionsAreEnded) {
  const char* redis_url = std::getenv("TRYON_TEST_REDIS_URL");
  TRYON_REQUIRE_REAL_PART(redis_url && *redis_url,
                          "Redis (TRYON_TEST_REDIS_URL)");
  if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure())
    return;
  test_stack::options o;
  o.extra_nodes = 1;
  o.server_env["TRYON_SESSION_LEASE_TTL_MS"] = "900";
  test_stack s{o};
  ASSERT_TRUE(s.ok()) << s.why();
  tryon::persistence::redis_lease_store leases{redis_url};
  auto u = s.make_user("nd");
  auto status = [&](const std::string& id) {
    return s.db().sessions.find_session(id)->status;
  };

  auto moving = s.make_session(u);
  auto abandoned = s.make_session(u);
  auto phone = ready_on(s, 1, u, moving);
  auto gone = ready_on(s, 1, u, abandoned);
  ASSERT_TRUE(phone && gone);
  ASSERT_EQ(one_frame(*phone, 1).processed, 1);
  ASSERT_EQ(one_frame(*gone, 1).processed, 1);
  auto dead_node = leases.owner(moving);
  ASSERT_TRUE(dead_node);

  s.node(1).signal(SIGKILL);
  ASSERT_TRUE(s.node(1).wait(5s));
  auto killed = clock_type::now();
  // Its phones see the connection drop (RST from the dead process's
  // closed sockets); one reconnects to the other node at once.
  while (phone->read(5s)) {
  }
  auto again = ready_on(s, 0, u, moving);
  ASSERT_TRUE(again) << "the surviving node did not take the session";
  auto run = one_frame(*again, 2);
  EXPECT_EQ(run.processed, 1);
  std::cout << "[ figures ] kill -9 to first frame on the other node: "
            << ms_since(killed) << " ms\n";
  auto new_owner = leases.owner(moving);
  ASSERT_TRUE(new_owner);
  EXPECT_NE(*new_owner, *dead_node);

  // The other session: nobody reclaims it; ended once its lease expired.
  EXPECT_TRUE(eventually([&] { return status(abandoned) == "error"; }, 15s))
      << "the dead node's session was left " << status(abandoned);
  std::cout << "[ figures ] kill -9 to abandoned session ended: "
            << ms_since(killed) << " ms\n";
  EXPECT_EQ(status(moving), "active"); // served, so left alone
  EXPECT_EQ(one_frame(*again, 3).processed, 1);
  again->close();
  EXPECT_TRUE(eventually([&] { return status(moving) == "completed"; }, 10s));
}
