#include "actors/expiry_sweeper.hpp"

#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "tests/fakes/fake_session_store.hpp"

using namespace tryon;
using namespace std::chrono_literals;

namespace {

class ExpirySweeperTest : public ::testing::Test {
protected:
  std::string add_session(std::chrono::milliseconds expires_in) {
    persistence::new_session s;
    s.user_id = 1;
    s.mode = "explore";
    s.nail_reference_url = "http://x.test/a.jpg";
    s.expires_at =
        persistence::now_us() +
        std::chrono::duration_cast<std::chrono::microseconds>(expires_in)
            .count();
    return sessions_.create_session(s).id;
  }
  std::string status(const std::string& id) {
    return sessions_.find_session(id)->status;
  }
  /// Polls until `id` has `want` status (at most 3 s).
  bool wait_status(const std::string& id, const std::string& want) {
    for (int i = 0; i < 300; ++i) {
      if (status(id) == want)
        return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  fakes::fake_session_store sessions_;
  metrics::node_metrics metrics_;
};

} // namespace

TEST_F(ExpirySweeperTest, CompletesExpiredSessionsPeriodically) {
  auto old = add_session(-1s);
  auto soon = add_session(300ms);
  auto later = add_session(1h);
  sessions_.update_status(soon, "paused");
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto sweeper = sys.spawn<caf::detached>(actors::make_expiry_sweeper,
                                          &sessions_, 50ms, &metrics_);
  EXPECT_TRUE(wait_status(old, "completed")); // the first sweep runs at once
  EXPECT_EQ(status(soon), "paused");
  EXPECT_TRUE(wait_status(soon, "completed"));
  EXPECT_EQ(status(later), "initializing");
  EXPECT_EQ(metrics_.snapshot()["expiry"]["sessions_expired"], 2);
  caf::anon_send(sweeper, actors::shutdown_atom::value);
}

TEST_F(ExpirySweeperTest, SurvivesADatabaseOutage) {
  sessions_.set_failing(true);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto sweeper = sys.spawn<caf::detached>(actors::make_expiry_sweeper,
                                          &sessions_, 30ms, nullptr);
  std::this_thread::sleep_for(100ms);
  auto failed_calls = sessions_.calls();
  EXPECT_GE(failed_calls, 2);
  sessions_.set_failing(false);
  auto old = add_session(-1s);
  EXPECT_TRUE(wait_status(old, "completed"));
  caf::scoped_actor self{sys};
  self->monitor(sweeper);
  self->send(sweeper, actors::shutdown_atom::value);
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; }, caf::after(3s) >> [] {});
  EXPECT_TRUE(down);
}
