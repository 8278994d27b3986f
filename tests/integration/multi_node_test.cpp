// Two tryon-server nodes sharing PostgreSQL, Redis and the AI service, as
// behind a load balancer: a session lives on one node at a time, and a
// newer connection on another node takes it over (the older one is closed
// with 4009, as on one node; PROTOCOL.md "Connecting").

#include <cstdlib>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "persistence/redis_lease_store.hpp"
#include "real_parts.hpp"
#include "stack_helpers.hpp"
#include "test_stack.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

/// Two nodes whose leases last `Ttl` ms.
template <class Suite, int Ttl>
class two_nodes : public shared_stack_suite<Suite> {
protected:
  static void SetUpTestSuite() {
    test_stack::options o;
    o.extra_nodes = 1;
    o.server_env["TRYON_SESSION_LEASE_TTL_MS"] = std::to_string(Ttl);
    shared_stack_suite<Suite>::start_stack(o);
  }
  void prepare() override {
    const char* url = std::getenv("TRYON_TEST_REDIS_URL");
    TRYON_REQUIRE_REAL_PART(url && *url,
                            "Redis (TRYON_TEST_REDIS_URL is not set)");
    leases_ = std::make_unique<tryon::persistence::redis_lease_store>(url);
  }
  /// Connects `u` to `session` on node `node` and waits for session_ready.
  std::unique_ptr<ws_client> ready_on(std::size_t node, const test_user& u,
                                      const std::string& session) {
    auto c = std::make_unique<ws_client>(
        this->stack_->node_port(node), "/ws/try-on/" + session + "/",
        std::vector<std::pair<std::string, std::string>>{u.auth()});
    c->send_text(R"({"type":"init_session"})");
    EXPECT_TRUE(c->read_type("session_ready", 20s));
    return c;
  }
  std::string status(const std::string& session) {
    return this->stack_->db().sessions.find_session(session)->status;
  }

  std::unique_ptr<tryon::persistence::redis_lease_store> leases_;
};

// Renewed every 300 ms: a take-over is noticed by then even without the
// notice.
class TwoNodes : public two_nodes<TwoNodes, 900> {};

// Renewed every 20 s: within the test only the take-over notice (Redis
// pub/sub) can tell the older node.
class TwoNodesLongLease : public two_nodes<TwoNodesLongLease, 60000> {};

} // namespace

TEST_F(TwoNodes, NewerConnectionOnAnotherNodeTakesTheSessionOver) {
  auto u = stack_->make_user("mn");
  auto session = stack_->make_session(u);
  auto first = ready_on(0, u, session);
  EXPECT_EQ(one_frame(*first, 1).processed, 1);
  auto node0 = leases_->owner(session);
  ASSERT_TRUE(node0) << "node 0 holds no lease for its live session";

  auto second = ready_on(1, u, session);
  auto node1 = leases_->owner(session);
  ASSERT_TRUE(node1);
  EXPECT_NE(*node1, *node0);

  // Node 0 notices at its next renewal and closes its client with 4009.
  // (One long read per message: a read that times out would leave the
  // client's stream unusable.)
  while (first->read(10s)) {
  }
  ASSERT_TRUE(first->close_code()) << "node 0 kept the session";
  EXPECT_EQ(*first->close_code(), 4009u);

  // The session streams on node 1, and node 0 wrote no end for it.
  EXPECT_EQ(one_frame(*second, 2).processed, 1);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(status(session), "active");
  EXPECT_EQ(leases_->owner(session), node1);

  // A clean close on node 1 completes it and gives the lease back.
  second->close();
  EXPECT_TRUE(eventually([&] { return status(session) == "completed"; }, 10s));
  EXPECT_TRUE(eventually([&] { return !leases_->owner(session); }, 10s));
}

TEST_F(TwoNodes, ReconnectToTheSameNodeKeepsItsLease) {
  auto u = stack_->make_user("mn");
  auto session = stack_->make_session(u);
  auto first = ready_on(1, u, session);
  auto owner = leases_->owner(session);
  ASSERT_TRUE(owner);
  auto second = ready_on(1, u, session);
  while (first->read(10s)) { // until the close
  }
  EXPECT_EQ(first->close_code(), 4009u);
  EXPECT_EQ(leases_->owner(session), owner);
  // Leases are renewed: still held well past the 900 ms TTL.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(leases_->owner(session), owner);
  EXPECT_EQ(one_frame(*second, 1).processed, 1);
}

TEST_F(TwoNodesLongLease, TakeOverNoticeClosesTheOlderConnectionAtOnce) {
  auto u = stack_->make_user("mn");
  auto session = stack_->make_session(u);
  auto first = ready_on(0, u, session);
  auto second = ready_on(1, u, session);
  while (first->read(10s)) { // until the close; 10 s is half a renewal
  }
  ASSERT_TRUE(first->close_code()) << "node 0 missed the notice";
  EXPECT_EQ(*first->close_code(), 4009u);
  EXPECT_EQ(one_frame(*second, 1).processed, 1);
  // Node 0 wrote no end for the session and left node 1's lease alone.
  EXPECT_EQ(status(session), "active");
  EXPECT_TRUE(leases_->owner(session));
  second->close();
  EXPECT_TRUE(eventually([&] { return status(session) == "completed"; }, 10s));
}
