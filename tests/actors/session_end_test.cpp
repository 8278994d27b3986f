// How a session actor fails and ends: a refused init (recoverable), the AI
// service unavailable or down (1011), expiry (4008), the client leaving.

#include "tests/actors/session_fixture.hpp"

#include <algorithm>

#include <caf/send.hpp>

using namespace tryon;
using namespace tryon::testing;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;
using codes = std::vector<std::uint16_t>;

namespace {

class SessionEndTest : public session_fixture {};

/// Whether the peer got its last text before the close, and closed once.
bool error_then_close(const fake_client_peer& peer) {
  auto events = peer.log.snapshot();
  auto close = std::find_if(events.begin(), events.end(), [](auto& e) {
    return e.what == peer_event::kind::close;
  });
  return close != events.begin() && close == events.end() - 1 &&
         std::prev(close)->what == peer_event::kind::text;
}

} // namespace

TEST_F(SessionEndTest, InitFailedIsReportedAndTheClientMayInitAgain) {
  link_script->plan(open_reply::init_failed);
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  text(s, client_text("init_session"));
  ASSERT_TRUE(peer->wait_texts("error"));
  auto err = peer->texts("error").at(0);
  EXPECT_EQ(err["code"], "INIT_FAILED");
  EXPECT_EQ(err["message"], "could not load the design");
  EXPECT_EQ(err["recoverable"], true);
  // Back to waiting for init: frames are refused until then.
  frame(s, 1);
  ASSERT_TRUE(peer->wait_texts("error", 2));
  EXPECT_EQ(peer->errors(), (strings{"INIT_FAILED", "NOT_INITIALIZED"}));
  ASSERT_TRUE(init(s, *peer));
  EXPECT_EQ(link_script->opens.size(), 2u);
  EXPECT_EQ(statuses_after(1), strings{"active"});
  frame(s, 2);
  ASSERT_TRUE(answer(0));
  ASSERT_TRUE(peer->wait_frames(1));
  EXPECT_TRUE(peer->closes().empty());
}

TEST_F(SessionEndTest, AiUnavailableAtInitSendsErrorAndCloses1011) {
  link_script->plan(open_reply::unavailable);
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  text(s, client_text("init_session"));
  ASSERT_TRUE(peer->wait_close());
  EXPECT_EQ(peer->closes(), codes{1011});
  auto err = peer->texts("error").at(0);
  EXPECT_EQ(err["code"], "AI_SERVICE_UNAVAILABLE");
  EXPECT_EQ(err["recoverable"], false);
  EXPECT_TRUE(error_then_close(*peer));
  ASSERT_TRUE(wait_down(s));
  EXPECT_FALSE(final_stats().is_null());
  EXPECT_EQ(statuses(*persisted_log, default_id), strings{"error"});
  // The link is told to drop the session it was opening.
  ASSERT_TRUE(link_script->closes.wait_size(1));
  EXPECT_EQ(link_script->closes.snapshot(), strings{default_id});
}

TEST_F(SessionEndTest, AiDownWhileStreamingSendsErrorAndCloses1011) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  frame(s, 1);
  ASSERT_TRUE(channel.wait_frames(1));
  caf::anon_send(s, actors::ai_down_atom::value);
  ASSERT_TRUE(peer->wait_close());
  EXPECT_EQ(peer->closes(), codes{1011});
  EXPECT_EQ(peer->errors(), strings{"AI_SERVICE_UNAVAILABLE"});
  EXPECT_TRUE(error_then_close(*peer));
  ASSERT_TRUE(wait_down(s));
  auto st = final_stats();
  EXPECT_EQ(st["frames_accepted"], 1);
  EXPECT_EQ(st["frames_dropped"], 1); // in flight, never answered
  EXPECT_EQ(statuses(*persisted_log, default_id), (strings{"active", "error"}));
  EXPECT_EQ(link_script->routes->counters.in_flight.load(), 0);
}

TEST_F(SessionEndTest, ExpirySendsSessionExpiredAndCloses4008) {
  auto i = info();
  i.expires_at_us =
      std::chrono::duration_cast<std::chrono::microseconds>(
          (std::chrono::system_clock::now() + 300ms).time_since_epoch())
          .count();
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer, i);
  ASSERT_TRUE(init(s, *peer));
  ASSERT_TRUE(peer->wait_close());
  EXPECT_EQ(peer->closes(), codes{4008});
  auto err = peer->texts("error").at(0);
  EXPECT_EQ(err["code"], "SESSION_EXPIRED");
  EXPECT_EQ(err["recoverable"], false);
  EXPECT_TRUE(error_then_close(*peer));
  ASSERT_TRUE(wait_down(s));
  EXPECT_FALSE(final_stats().is_null());
  EXPECT_EQ(statuses(*persisted_log, default_id),
            (strings{"active", "completed"}));
  ASSERT_TRUE(link_script->closes.wait_size(1));
}

TEST_F(SessionEndTest, ClientLeavingCompletesTheSession) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  frame(s, 1);
  ASSERT_TRUE(answer(0));
  ASSERT_TRUE(peer->wait_frames(1));
  frame(s, 2);
  ASSERT_TRUE(channel.wait_frames(2));
  // A straggler of an older connection does not end the session.
  caf::anon_send(s, actors::cl_closed_atom::value, std::uint64_t{0});
  stats(s);
  caf::anon_send(s, actors::cl_closed_atom::value, std::uint64_t{1});
  ASSERT_TRUE(wait_down(s));
  EXPECT_TRUE(peer->closes().empty()); // the connection is gone already
  auto st = final_stats();
  EXPECT_EQ(st["frames_accepted"], 2);
  EXPECT_EQ(st["frames_processed"], 1);
  EXPECT_EQ(st["frames_dropped"], 1); // frame 2, still at the AI
  EXPECT_EQ(statuses(*persisted_log, default_id),
            (strings{"active", "completed"}));
  ASSERT_TRUE(link_script->closes.wait_size(1));
  EXPECT_EQ(link_script->forgets.size(), 0u);
}
