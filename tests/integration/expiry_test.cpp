// Session expiry end to end (PROTOCOL.md section 3, "Session lifecycle"):
// a live session is closed with SESSION_EXPIRED + 4008, an unconnected one
// is marked completed by the sweep, and an expired one refuses connections.

#include <thread>

#include <gtest/gtest.h>

#include "stack_helpers.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

constexpr int timeout_s = 3;

class Expiry : public shared_stack_suite<Expiry> {
protected:
  static void SetUpTestSuite() {
    test_stack::options o;
    o.server_env["TRYON_SESSION_TIMEOUT"] = std::to_string(timeout_s);
    o.server_env["TRYON_EXPIRY_SWEEP_INTERVAL"] = "1";
    // Leases long enough that the orphan sweep (which ends a dead node's
    // sessions `error` a TTL after their lease lapsed: node_death_test)
    // leaves these to the expiry sweep.
    o.server_env["TRYON_SESSION_LEASE_TTL_MS"] = "600000";
    start_stack(o);
  }
  void prepare() override { user_ = stack_->make_user("exp"); }
  std::string status(const std::string& id) {
    return stack_->db().sessions.find_session(id)->status;
  }

  test_user user_;
};

} // namespace

TEST_F(Expiry, LiveSessionGetsSessionExpiredThen4008) {
  auto session = stack_->make_session(user_);
  auto c = open_ready(*stack_, user_, session);
  ASSERT_TRUE(c);
  EXPECT_EQ(one_frame(*c, 1).last, 1); // streaming until the end
  std::optional<ws_message> error;
  while (auto m = c->read(std::chrono::seconds(timeout_s + 3))) {
    if (kind_of(*m).first == "error") {
      error = m;
      break;
    }
  }
  ASSERT_TRUE(error);
  auto j = json::parse(error->data);
  EXPECT_EQ(j["code"], "SESSION_EXPIRED");
  EXPECT_EQ(j["recoverable"], false);
  EXPECT_FALSE(c->read(5s)); // then the close frame
  EXPECT_EQ(c->close_code(), 4008u);
  EXPECT_TRUE(eventually([&] { return status(session) == "completed"; }, 5s));
}

TEST_F(Expiry, UnconnectedSessionIsCompletedByTheSweep) {
  auto session = stack_->make_session(user_);
  EXPECT_EQ(status(session), "initializing");
  EXPECT_TRUE(eventually([&] { return status(session) == "completed"; },
                         std::chrono::seconds(timeout_s + 4)));
  auto metrics = http_call(stack_->port(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("tryon_sessions_expired_total"), std::string::npos);
  EXPECT_EQ(metrics.find("tryon_sessions_expired_total 0\n"), std::string::npos)
      << metrics;
}

TEST_F(Expiry, ExpiredSessionRefusesConnections) {
  auto session = stack_->make_session(user_);
  std::this_thread::sleep_for(std::chrono::seconds(timeout_s) + 200ms);
  ws_client c{stack_->port(), "/ws/try-on/" + session + "/", {user_.auth()}};
  ASSERT_TRUE(c.open());
  auto m = c.read(5s);
  ASSERT_TRUE(m);
  EXPECT_EQ(kind_of(*m), std::make_pair(std::string{"error"},
                                        std::string{"SESSION_EXPIRED"}));
  EXPECT_FALSE(c.read(5s));
  EXPECT_EQ(c.close_code(), 4008u);
}

TEST_F(Expiry, SessionLeftActiveByADeadNodeIsCompletedByTheSweep) {
  auto session = stack_->make_session(user_);
  // As a node that crashed mid-session would leave it: active, no actor.
  stack_->db().sessions.update_status(session, "active");
  EXPECT_TRUE(eventually([&] { return status(session) == "completed"; },
                         std::chrono::seconds(timeout_s + 4)));
}
