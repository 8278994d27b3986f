// The AI link when channels go away: unbinding sessions, reconnect with
// backoff, re-init, moving sessions, the grace period.

#include "tests/actors/ai_link_fixture.hpp"

#include <nlohmann/json.hpp>

#include "protocol/ai_message.hpp"

using namespace tryon::testing;
using namespace tryon;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;

namespace {

class AiLinkOutageTest : public ai_link_fixture {
protected:
  /// Starts the link with channel 0 up and session "s1" ready on it.
  std::shared_ptr<session_log> ready_session() {
    start_link();
    chan(0).raise_open();
    auto [peer, log] = make_session();
    open("s1", peer);
    chan(0).raise_text(protocol::ai_session_initialized_msg("s1"));
    run();
    return log;
  }
};

} // namespace

TEST_F(AiLinkOutageTest, ChannelLossUnbindsItsSessions) {
  auto log = ready_session();
  frame("s1", 1); // in flight when the channel drops: the session fails it
  chan(0).raise_down();
  run();
  frame("s1", 2);
  EXPECT_EQ(log->events, (strings{"ready", "lost", "refused 2"}));
  auto st = nlohmann::json::parse(stats());
  EXPECT_EQ(st["sessions_lost"], 1);
  EXPECT_EQ(st["connections_up"], 0);
}

TEST_F(AiLinkOutageTest, ReconnectsWithBackoffAndReinits) {
  auto log = ready_session();
  chan(0).raise_down();
  run();
  EXPECT_EQ(chan(0).connects, 1);
  advance(100ms);
  EXPECT_EQ(chan(0).connects, 2);
  chan(0).raise_down(); // the attempt fails: next delay doubles
  run();
  advance(100ms);
  EXPECT_EQ(chan(0).connects, 2);
  advance(100ms);
  EXPECT_EQ(chan(0).connects, 3);
  chan(0).raise_open();
  run();
  ASSERT_EQ(chan(0).texts.size(), 2u);
  EXPECT_EQ(text_kind(chan(0).texts[1]),
            std::make_pair(std::string{"init_session"}, std::string{"s1"}));
  chan(0).raise_text(protocol::ai_session_initialized_msg("s1"));
  run();
  EXPECT_EQ(log->events, (strings{"ready", "lost"})); // ready not twice
  EXPECT_EQ(log->binds, 2); // bound again behind the new init_session
  frame("s1", 9);
  EXPECT_EQ(chan(0).binaries.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(stats())["reconnects"], 2);
}

TEST_F(AiLinkOutageTest, BackoffResetsAfterSuccessfulOpen) {
  ready_session();
  for (int i = 0; i < 4; ++i) { // 100, 200, 400, 400
    chan(0).raise_down();
    run();
    advance(400ms);
  }
  chan(0).raise_open();
  run();
  chan(0).raise_down();
  run();
  auto before = chan(0).connects;
  advance(100ms);
  EXPECT_EQ(chan(0).connects, before + 1);
}

TEST_F(AiLinkOutageTest, SessionsMoveToLiveChannel) {
  cfg.connections = 2;
  start_link();
  chan(0).raise_open();
  run();
  auto [peer, log] = make_session();
  open("s1", peer);
  ASSERT_EQ(chan(0).texts.size(), 1u);
  chan(1).raise_open();
  chan(0).raise_down();
  run();
  ASSERT_EQ(chan(1).texts.size(), 1u);
  EXPECT_EQ(text_kind(chan(1).texts[0]).first, "init_session");
  frame("s1", 1);
  EXPECT_EQ(chan(1).binaries.size(), 1u);
}

TEST_F(AiLinkOutageTest, OrphansAdoptedByFirstChannelUp) {
  cfg.connections = 2;
  start_link();
  auto [peer, log] = make_session();
  open("s1", peer);
  open("s2", peer);
  chan(1).raise_open();
  run();
  EXPECT_EQ(chan(1).texts.size(), 2u);
}

TEST_F(AiLinkOutageTest, ShortOutageSendsNoDown) {
  auto log = ready_session();
  chan(0).raise_down();
  run();
  advance(100ms);
  chan(0).raise_open();
  run();
  advance(2000ms);
  EXPECT_EQ(log->events, (strings{"ready", "lost"}));
}

TEST_F(AiLinkOutageTest, OutageLongerThanGraceSendsDownOnce) {
  auto log = ready_session();
  auto [late, late_log] = make_session();
  chan(0).raise_down();
  run();
  advance(500ms);
  open("s2", late); // opened while the AI is away
  EXPECT_TRUE(late_log->events.empty());
  advance(600ms);
  EXPECT_EQ(log->events, (strings{"ready", "lost", "down"}));
  EXPECT_EQ(late_log->events, strings{"failed AI_SERVICE_UNAVAILABLE"});
  advance(5000ms);
  EXPECT_EQ(log->events, (strings{"ready", "lost", "down"}));
  auto [later, later_log] = make_session();
  open("s3", later); // the outage is already past the grace
  EXPECT_EQ(later_log->events, strings{"failed AI_SERVICE_UNAVAILABLE"});
  EXPECT_EQ(nlohmann::json::parse(stats())["outage"], true);
}

TEST_F(AiLinkOutageTest, NoChannelEverUpFailsOpeningSessions) {
  start_link();
  auto [peer, log] = make_session();
  open("s1", peer);
  advance(1000ms);
  EXPECT_EQ(log->events, strings{"failed AI_SERVICE_UNAVAILABLE"});
  chan(0).raise_open();
  run();
  EXPECT_TRUE(chan(0).texts.empty()); // s1 was forgotten
  auto [peer2, log2] = make_session();
  open("s2", peer2);
  EXPECT_EQ(chan(0).texts.size(), 1u);
}

TEST_F(AiLinkOutageTest, UnansweredInitFailsAfterTheTimeoutAndClosesOnTheAi) {
  cfg.init_timeout = 3000ms;
  start_link();
  chan(0).raise_open();
  auto [peer, log] = make_session();
  open("s1", peer);
  advance(2900ms);
  EXPECT_EQ(log->events, strings{});
  advance(200ms);
  EXPECT_EQ(log->events, (strings{"failed INIT_FAILED"}));
  ASSERT_EQ(chan(0).texts.size(), 2u);
  EXPECT_EQ(text_kind(chan(0).texts[1]),
            (std::pair<std::string, std::string>{"close_session", "s1"}));
  // A late answer is not delivered: the link forgot the session.
  chan(0).raise_text(protocol::ai_session_initialized_msg("s1"));
  run();
  EXPECT_EQ(log->events, (strings{"failed INIT_FAILED"}));
  auto st = nlohmann::json::parse(stats());
  EXPECT_EQ(st["init_timeouts"], 1);
  EXPECT_EQ(st["sessions"], 0);
}

TEST_F(AiLinkOutageTest, AnsweredInitIsNotTimedOut) {
  auto log = ready_session(); // default 5 s timeout
  advance(6000ms);
  EXPECT_EQ(log->events, (strings{"ready"}));
  EXPECT_EQ(nlohmann::json::parse(stats())["init_timeouts"], 0);
}

TEST_F(AiLinkOutageTest, InitRefusedByAFullChannelFailsAtOnce) {
  start_link();
  chan(0).raise_open();
  chan(0).refuse = true;
  auto [peer, log] = make_session();
  open("s1", peer);
  run();
  EXPECT_EQ(log->events, (strings{"failed INIT_FAILED"}));
  EXPECT_EQ(nlohmann::json::parse(stats())["init_refused"], 1);
}

TEST_F(AiLinkOutageTest, InitResentAfterChannelLossGetsAFreshTimeout) {
  cfg.init_timeout = 3000ms;
  cfg.connections = 2;
  start_link();
  chan(0).raise_open();
  auto [peer, log] = make_session();
  open("s1", peer);
  advance(2000ms);
  chan(1).raise_open();
  chan(0).raise_down(); // s1 moves to channel 1, init sent again
  run();
  advance(2000ms); // 4 s after the first init, 2 s after the second
  EXPECT_EQ(log->events, (strings{"lost"}));
  advance(1100ms);
  EXPECT_EQ(log->events, (strings{"lost", "failed INIT_FAILED"}));
}
