// Stream hints as the session actor sends them (the decisions themselves
// are stream_hinter_test's): only to a client that asked in init_session,
// from the frames' capture timestamps, and again after a re-init. These
// run on the real clock: each takes a little over one hint window (1 s).

#include "tests/actors/session_fixture.hpp"

#include <thread>

#include <caf/send.hpp>

#include "protocol/client_frame.hpp"

using namespace tryon;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

class SessionHintsTest : public session_fixture {
protected:
  /// init_session, with the stream_hints capability if `hints`.
  bool init_with(const caf::actor& s, fake_client_peer& peer, bool hints,
                 std::size_t n = 1) {
    nlohmann::json extra = nlohmann::json::object();
    if (hints)
      extra["capabilities"] = {"something_else", "stream_hints"};
    text(s, client_text("init_session", extra));
    return peer.wait_texts("session_ready", n);
  }

  /// 14 frames 100 ms apart whose uplink queues: each arrives 100 ms later
  /// after its capture than the one before. Each is answered, so the AI
  /// share is not what limits.
  void queueing_uplink(const caf::actor& s) {
    for (std::int64_t seq = 1; seq <= 14; ++seq) {
      protocol::client_frame_header h;
      h.sequence = seq;
      h.timestamp = protocol::now_ms() - 40 - seq * 100;
      h.format = "jpeg";
      caf::anon_send(s, actors::cl_bin_atom::value, std::uint64_t{1},
                     protocol::encode_client_frame(h, camera_image(seq)));
      EXPECT_TRUE(answer(static_cast<std::size_t>(seq - 1)));
      std::this_thread::sleep_for(100ms);
    }
  }
};

} // namespace

TEST_F(SessionHintsTest, AClientThatAskedIsToldToSendLessWhenItsUplinkQueues) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init_with(s, *peer, true));
  queueing_uplink(s);
  ASSERT_TRUE(peer->wait_texts("stream_hint"));
  auto hint = peer->texts("stream_hint").at(0);
  EXPECT_EQ(hint["reason"], "uplink");
  EXPECT_EQ(hint["fps"], 20);
  EXPECT_EQ(hint["jpeg_quality"], 70);
  EXPECT_EQ(hint["max_width"], 1280);
  EXPECT_TRUE(hint["timestamp"].is_number_integer());
  EXPECT_EQ(stats(s)["stream_hints"], 1);
  // A reconnected client re-inits (and resets to session_ready's config):
  // the hint in force is sent again, after session_ready.
  ASSERT_TRUE(init_with(s, *peer, true, 2));
  ASSERT_TRUE(peer->wait_texts("stream_hint", 2));
  EXPECT_EQ(peer->texts("stream_hint").at(1)["fps"], 20);
  EXPECT_TRUE(peer->errors().empty());
}

TEST_F(SessionHintsTest, AClientThatDidNotAskSeesNothingNew) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init_with(s, *peer, false));
  queueing_uplink(s);
  auto st = stats(s);
  EXPECT_TRUE(peer->texts("stream_hint").empty());
  EXPECT_FALSE(st.contains("stream_hints"));
  EXPECT_EQ(st["frames_processed"], 14);
}

TEST_F(SessionHintsTest, MalformedCapabilitiesAreAnError) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  text(s, client_text("init_session", {{"capabilities", "stream_hints"}}));
  ASSERT_TRUE(peer->wait_texts("error"));
  EXPECT_EQ(peer->errors(), std::vector<std::string>{"INVALID_JSON"});
  ASSERT_TRUE(init_with(s, *peer, true)); // the connection stays usable
}
