#include "actors/stats_supervisor.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "tests/fakes/fake_node_stats_store.hpp"
#include "tests/fakes/fake_session_store.hpp"

using namespace tryon;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

/// Stands in for the registry (`live` sessions) and the AI link. (An
/// argument, because UBSan flags CAF's spawn of argument-less functions.)
caf::behavior fake_peer(caf::event_based_actor*, std::uint64_t live) {
  return {
      [live](actors::count_atom) { return live; },
      [](actors::get_stats_atom) {
        return json{{"connections_up", 2},
                    {"connections_total", 2},
                    {"sessions", 3},
                    {"in_flight", 1}}
            .dump();
      },
  };
}

class StatsSupervisorTest : public ::testing::Test {
protected:
  StatsSupervisorTest() {
    persistence::new_session s;
    s.user_id = 1;
    s.mode = "explore";
    s.expires_at = persistence::now_us() + 60'000'000;
    sessions_.update_status(sessions_.create_session(s).id, "active");
    sessions_.create_session(s);
    nodes_.publish("node-b", {{"node_id", "node-b"}, {"live_sessions", 5}},
                   60s);
  }

  json get_stats(caf::scoped_actor& self, const caf::actor& stats) {
    json out;
    self->request(stats, 5s, actors::get_stats_atom::value)
        .receive([&](const std::string& text) { out = json::parse(text); },
                 [&](caf::error&) { ADD_FAILURE() << "no stats"; });
    return out;
  }

  actors::stats_config config(const caf::actor& peer) {
    return {"node-a", 10s, peer, peer, &sessions_, &nodes_, &metrics_};
  }

  fakes::fake_session_store sessions_;
  fakes::fake_node_stats_store nodes_;
  metrics::node_metrics metrics_;
  caf::actor_system_config cfg_;
};

} // namespace

TEST_F(StatsSupervisorTest, GathersPublishesAndShowsEveryNode) {
  metrics_.add_received(5);
  caf::actor_system sys{cfg_};
  auto peer = sys.spawn(fake_peer, std::uint64_t{3});
  auto stats =
      sys.spawn<caf::detached>(actors::make_stats_supervisor, config(peer));
  {
    caf::scoped_actor self{sys};
    auto s = get_stats(self, stats);
    EXPECT_EQ(s["node_id"], "node-a");
    EXPECT_EQ(s["live_sessions"], 3);
    EXPECT_EQ(s["frames"]["received"], 5);
    EXPECT_EQ(s["ai_link"]["in_flight"], 1);
    EXPECT_GT(s["actors_running"].get<int>(), 0);
    EXPECT_EQ(s["sessions_by_status"]["active"], 1);
    EXPECT_EQ(s["sessions_by_status"]["initializing"], 1);
    EXPECT_EQ(s["sessions_by_status"]["error"], 0);
    ASSERT_TRUE(s["per_node"].contains("node-b"));
    EXPECT_EQ(s["per_node"]["node-b"]["live_sessions"], 5);
    EXPECT_EQ(s["per_node"]["node-a"]["frames"]["received"], 5);
    // Published for the other nodes, and copied into the gauges.
    EXPECT_EQ(nodes_.read_all().at("node-a")["live_sessions"], 3);
    auto text = metrics_.prometheus_text();
    // Database counts are cluster-wide: JSON only, never a per-node gauge.
    EXPECT_EQ(text.find("tryon_sessions{"), std::string::npos);
    EXPECT_NE(text.find("tryon_ai_link_connections_up 2"), std::string::npos);
    // Shutdown withdraws this node's figures.
    self->monitor(stats);
    self->send(stats, actors::shutdown_atom::value);
    self->receive([](caf::down_msg&) {}, caf::after(3s) >> [] {});
  }
  EXPECT_EQ(nodes_.read_all().count("node-a"), 0u);
  caf::anon_send_exit(peer, caf::exit_reason::user_shutdown);
}

TEST_F(StatsSupervisorTest, AnswersWhenRedisAndTheDatabaseAreDown) {
  nodes_.set_failing(true);
  sessions_.set_failing(true);
  caf::actor_system sys{cfg_};
  auto peer = sys.spawn(fake_peer, std::uint64_t{3});
  auto stats =
      sys.spawn<caf::detached>(actors::make_stats_supervisor, config(peer));
  {
    caf::scoped_actor self{sys};
    auto s = get_stats(self, stats);
    EXPECT_EQ(s["live_sessions"], 3);
    EXPECT_TRUE(s["sessions_by_status"].is_null());
    EXPECT_EQ(s["per_node"].size(), 1u);
    self->send_exit(stats, caf::exit_reason::user_shutdown);
  }
  caf::anon_send_exit(peer, caf::exit_reason::user_shutdown);
}
