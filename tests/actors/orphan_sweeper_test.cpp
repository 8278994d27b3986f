// The orphan sweeper ends sessions left `active` by a node that died (no
// lease for a whole TTL), and leaves alone sessions some node holds. (A
// session reclaimed on another node mid-sweep: node_death_test.)

#include "actors/orphan_sweeper.hpp"

#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "persistence/memory_lease_store.hpp"
#include "tests/fakes/fake_session_store.hpp"

using namespace tryon;
using namespace std::chrono_literals;

namespace {

std::string add_session(fakes::fake_session_store& store,
                        const std::string& status) {
  persistence::new_session s;
  s.user_id = 1;
  s.mode = "explore";
  s.nail_reference_url = "http://x.test/a.jpg";
  s.expires_at = persistence::now_us() + 3600LL * 1000000;
  auto id = store.create_session(s).id;
  store.update_status(id, status);
  return id;
}

} // namespace

TEST(OrphanSweeperTest, EndsSessionsNoNodeHoldsOnceTheirLeaseExpired) {
  fakes::fake_session_store sessions;
  persistence::memory_lease_store leases;
  auto orphan = add_session(sessions, "active");
  auto paused_orphan = add_session(sessions, "paused");
  auto held = add_session(sessions, "active");
  auto fresh = add_session(sessions, "initializing"); // never connected
  leases.acquire(held, "node-a", 1h);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto sweeper = sys.spawn<caf::detached>(
      actors::make_orphan_sweeper,
      actors::orphan_config{&sessions, &leases, 200ms, 1000});
  auto status = [&](const std::string& id) {
    return sessions.find_session(id)->status;
  };
  for (int i = 0; i < 300 && status(orphan) != "error"; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(status(orphan), "error");
  for (int i = 0; i < 100 && status(paused_orphan) != "error"; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(status(paused_orphan), "error");
  EXPECT_EQ(status(held), "active");
  EXPECT_EQ(status(fresh), "initializing");
  caf::anon_send(sweeper, actors::shutdown_atom::value);
}
