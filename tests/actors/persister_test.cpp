// The persister keeps status and stats writes that fail while the database
// is down and writes them, latest first-come order per session, once it is
// back; the backlog is bounded.

#include "actors/persister.hpp"

#include <functional>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "actors/session_atoms.hpp"
#include "tests/fakes/fake_session_store.hpp"

using namespace tryon;
using namespace std::chrono_literals;

namespace {

class PersisterTest : public ::testing::Test {
protected:
  std::string add_session() {
    persistence::new_session s;
    s.user_id = 1;
    s.mode = "explore";
    s.nail_reference_url = "http://x.test/a.jpg";
    s.expires_at = persistence::now_us() + 3600LL * 1000000;
    return sessions_.create_session(s).id;
  }
  persistence::session_record row(const std::string& id) {
    bool failing = sessions_.failing();
    sessions_.set_failing(false);
    auto r = *sessions_.find_session(id);
    sessions_.set_failing(failing);
    return r;
  }
  bool eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 300; ++i) {
      if (done())
        return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  std::uint64_t backlog(caf::actor& p) {
    caf::scoped_actor self{*sys_};
    std::uint64_t n = 0;
    self->request(p, 3s, actors::count_atom::value)
        .receive([&](std::uint64_t v) { n = v; }, [](caf::error&) {});
    return n;
  }

  fakes::fake_session_store sessions_;
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_ =
      std::make_unique<caf::actor_system>(cfg_);
};

} // namespace

TEST_F(PersisterTest, WritesMadeDuringAnOutageLandWhenTheDatabaseReturns) {
  auto a = add_session();
  auto b = add_session();
  auto p = sys_->spawn<caf::detached>(actors::make_persister, &sessions_, 30ms,
                                      std::size_t{100});
  sessions_.set_failing(true);
  caf::anon_send(p, actors::p_status_atom::value, a, std::string{"active"});
  caf::anon_send(p, actors::p_stats_atom::value, a,
                 std::string{R"({"frames_processed": 7})"});
  caf::anon_send(p, actors::p_status_atom::value, b, std::string{"active"});
  caf::anon_send(p, actors::p_status_atom::value, a, std::string{"completed"});
  EXPECT_TRUE(eventually([&] { return backlog(p) == 2; }));
  // Retried meanwhile, still failing: nothing written, nothing forgotten.
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(row(a).status, "initializing");
  EXPECT_EQ(backlog(p), 2u);

  sessions_.set_failing(false);
  // Status and stats are two writes: wait for both, not the first.
  EXPECT_TRUE(eventually([&] {
    auto r = row(a);
    return r.status == "completed" && r.stats.contains("frames_processed");
  }));
  EXPECT_EQ(row(a).stats["frames_processed"], 7);
  EXPECT_EQ(row(b).status, "active");
  EXPECT_EQ(backlog(p), 0u);
  // Later writes go straight through again.
  caf::anon_send(p, actors::p_status_atom::value, b, std::string{"paused"});
  EXPECT_TRUE(eventually([&] { return row(b).status == "paused"; }));
  caf::anon_send(p, actors::shutdown_atom::value);
}

TEST_F(PersisterTest, TheBacklogIsBounded) {
  auto p = sys_->spawn<caf::detached>(actors::make_persister, &sessions_, 1h,
                                      std::size_t{3});
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(add_session());
  sessions_.set_failing(true);
  for (auto& id : ids)
    caf::anon_send(p, actors::p_status_atom::value, id, std::string{"active"});
  EXPECT_TRUE(eventually([&] { return backlog(p) == 3; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(backlog(p), 3u);
  // Shutdown with the database back writes what was kept.
  sessions_.set_failing(false);
  caf::scoped_actor self{*sys_};
  self->monitor(p);
  self->send(p, actors::shutdown_atom::value);
  self->receive([](caf::down_msg&) {}, caf::after(5s) >> [] {});
  EXPECT_EQ(row(ids[0]).status, "active");
  EXPECT_EQ(row(ids[2]).status, "active");
  EXPECT_EQ(row(ids[4]).status, "initializing"); // dropped: backlog full
}
