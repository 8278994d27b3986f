// The lease keeper over the in-process lease store: renewals, sessions that
// moved to another node, release on drop and at shutdown. Real threads and
// a short TTL.

#include "actors/lease_keeper.hpp"

#include <atomic>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <gtest/gtest.h>

#include "actors/session_atoms.hpp"
#include "persistence/memory_lease_store.hpp"
#include "persistence/store_error.hpp"

using namespace tryon;
using namespace std::chrono_literals;

namespace {

class LeaseKeeperTest : public ::testing::Test {
protected:
  LeaseKeeperTest() : sys(cfg), registry(sys) {
    leases.store = &store;
    leases.node_id = "node-a";
    leases.ttl = 300ms; // renewed every 100 ms
    keeper = sys.spawn(actors::make_lease_keeper, leases);
  }
  ~LeaseKeeperTest() override {
    caf::anon_send_exit(keeper, caf::exit_reason::user_shutdown);
  }
  /// A session started here: the gateway took its lease, the registry (our
  /// scoped actor) tells the keeper.
  void hold(const std::string& id) {
    actors::acquire_lease(leases, id);
    registry->send(keeper, actors::lease_hold_atom::value, id);
  }
  /// The next lease_lost the keeper sends the registry (empty on timeout).
  std::string next_lost(std::chrono::milliseconds timeout) {
    std::string id;
    registry->receive(
        [&](actors::lease_lost_atom, const std::string& s) { id = s; },
        caf::after(timeout) >> [] {});
    return id;
  }

  // The store outlives the actor system (the keeper uses it to the end).
  persistence::memory_lease_store store;
  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scoped_actor registry;
  actors::lease_config leases;
  caf::actor keeper;
};

} // namespace

TEST_F(LeaseKeeperTest, HeldLeasesOutliveTheirTtl) {
  hold("s1");
  EXPECT_EQ(next_lost(1s), ""); // three TTLs: renewed all along
  EXPECT_EQ(store.owner("s1"), "node-a");
}

TEST_F(LeaseKeeperTest, SessionTakenByAnotherNodeIsReportedOnce) {
  hold("s1");
  hold("s2");
  store.acquire("s2", "node-b", 10s);
  EXPECT_EQ(next_lost(1s), "s2");
  EXPECT_EQ(next_lost(500ms), ""); // not again: no longer held here
  EXPECT_EQ(store.owner("s1"), "node-a");
  EXPECT_EQ(store.owner("s2"), "node-b");
  // Its actor ends later: dropping a moved session leaves node-b's lease.
  registry->send(keeper, actors::lease_drop_atom::value, std::string{"s2"});
  registry->send(keeper, actors::lease_drop_atom::value, std::string{"s1"});
  EXPECT_EQ(next_lost(300ms), "");
  EXPECT_EQ(store.owner("s2"), "node-b");
  EXPECT_EQ(store.owner("s1"), std::nullopt);
}

TEST_F(LeaseKeeperTest, ShutdownReleasesEveryHeldLease) {
  hold("s1");
  hold("s2");
  registry->send(keeper, actors::shutdown_atom::value);
  registry->wait_for(keeper);
  EXPECT_EQ(store.owner("s1"), std::nullopt);
  EXPECT_EQ(store.owner("s2"), std::nullopt);
}

// With a TTL of a minute no renewal runs during the test: only the notice
// of the node that took the session can tell the keeper.
TEST(LeaseKeeperNotices, TakeOverNoticeIsCheckedAtOnce) {
  persistence::memory_lease_store store;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor registry{sys};
  actors::lease_config a{&store, "node-a", 60s};
  actors::lease_config b{&store, "node-b", 60s};
  auto keeper = sys.spawn(actors::make_lease_keeper, a);
  auto notices = actors::subscribe_notices(a, keeper);
  ASSERT_TRUE(notices);
  for (const char* id : {"s1", "s2"}) {
    actors::acquire_lease(a, id);
    registry->send(keeper, actors::lease_hold_atom::value, std::string{id});
  }
  auto lost = [&](std::chrono::milliseconds timeout) {
    std::string id;
    registry->receive(
        [&](actors::lease_lost_atom, const std::string& s) { id = s; },
        caf::after(timeout) >> [] {});
    return id;
  };

  actors::acquire_lease(b, "s2"); // node-b takes s2 and notifies node-a
  EXPECT_EQ(lost(10s), "s2");
  EXPECT_EQ(store.owner("s2"), "node-b");

  // A stale notice (node-a holds s1 still) and one for a session it never
  // held change nothing.
  store.notify_taken("node-a", "s1");
  store.notify_taken("node-a", "other");
  EXPECT_EQ(lost(300ms), "");
  EXPECT_EQ(store.owner("s1"), "node-a");

  notices.reset();
  registry->send(keeper, actors::shutdown_atom::value);
  registry->wait_for(keeper);
  EXPECT_EQ(store.owner("s1"), std::nullopt);
  EXPECT_EQ(store.owner("s2"), "node-b");
}

TEST(AcquireLease, TakesOverAndSurvivesAMissingStore) {
  persistence::memory_lease_store store;
  actors::lease_config a{&store, "node-a", 10s};
  actors::lease_config b{&store, "node-b", 10s};
  actors::acquire_lease(a, "s");
  actors::acquire_lease(b, "s");
  EXPECT_EQ(store.owner("s"), "node-b");
  actors::acquire_lease(actors::lease_config{}, "s"); // no store: no-op
  EXPECT_EQ(store.owner("s"), "node-b");
}

namespace {

/// A lease store that is down (Redis unreachable): every call throws.
class unreachable_store : public persistence::session_lease_store {
public:
  std::optional<std::string> acquire(const std::string&, const std::string&,
                                     std::chrono::milliseconds) override {
    throw persistence::store_error("redis: connection refused");
  }
  std::vector<std::string> renew(const std::vector<std::string>&,
                                 const std::string&,
                                 std::chrono::milliseconds) override {
    ++renewals;
    throw persistence::store_error("redis: connection refused");
  }
  void release(const std::string&, const std::string&) override {
    throw persistence::store_error("redis: connection refused");
  }
  std::optional<std::string> owner(const std::string&) override {
    throw persistence::store_error("redis: connection refused");
  }
  void notify_taken(const std::string&, const std::string&) override {
    throw persistence::store_error("redis: connection refused");
  }
  std::unique_ptr<persistence::lease_subscription>
  subscribe(const std::string&,
            std::function<void(const std::string&)>) override {
    return std::make_unique<persistence::lease_subscription>(); // retrying
  }
  std::atomic<int> renewals{0};
};

} // namespace

TEST(LeaseKeeperOutage, UnreachableStoreNeverMovesASessionAway) {
  unreachable_store store;
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor registry{sys};
  actors::lease_config leases{&store, "node-a", 150ms};
  actors::acquire_lease(leases, "s1"); // logged, not thrown
  auto keeper = sys.spawn(actors::make_lease_keeper, leases);
  registry->send(keeper, actors::lease_hold_atom::value, std::string{"s1"});
  bool lost = false;
  registry->receive(
      [&](actors::lease_lost_atom, const std::string&) { lost = true; },
      caf::after(500ms) >> [] {});
  EXPECT_FALSE(lost) << "a store error must not end a session";
  EXPECT_GE(store.renewals.load(), 2);                  // it kept trying
  registry->send(keeper, actors::shutdown_atom::value); // release throws too
  registry->wait_for(keeper);
}
