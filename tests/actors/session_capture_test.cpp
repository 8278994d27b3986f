// The session actor's captures: saved once per frame, every capture of
// that frame answered with the same id, failures reported, and a shutdown
// that waits for the answers.

#include "tests/actors/session_fixture.hpp"

#include <caf/send.hpp>

using namespace tryon;
using namespace tryon::testing;
using strings = std::vector<std::string>;

namespace {

class SessionCaptureTest : public session_fixture {
protected:
  /// Starts a session and delivers processed frame 1 to its peer.
  caf::actor streaming(const std::shared_ptr<fake_client_peer>& peer) {
    auto s = start(peer);
    EXPECT_TRUE(init(s, *peer));
    deliver(s, *peer, 1);
    return s;
  }

  /// Client frame `seq` goes to the AI and its result to the peer.
  void deliver(const caf::actor& s, fake_client_peer& peer, std::int64_t seq) {
    auto n = channel.frames.size();
    auto delivered = peer.frames().size();
    frame(s, seq);
    EXPECT_TRUE(answer(n));
    EXPECT_TRUE(peer.wait_frames(delivered + 1));
  }

  void capture(const caf::actor& s) { text(s, client_text("capture")); }

  std::vector<std::int64_t> saved_ids(const fake_client_peer& peer) {
    std::vector<std::int64_t> out;
    for (auto& j : peer.texts("frame_saved"))
      out.push_back(j.at("try_on_id").get<std::int64_t>());
    return out;
  }
};

} // namespace

TEST_F(SessionCaptureTest, CaptureSavesTheFrameOnceAndRepeatsItsId) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = streaming(peer);
  capture(s);
  ASSERT_TRUE(peer->wait_texts("frame_saved"));
  auto calls = capture_script->calls.snapshot();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].session_id, default_id);
  EXPECT_EQ(calls[0].user_id, 7);
  EXPECT_EQ(calls[0].post_id, std::optional<std::int64_t>{42});
  EXPECT_EQ(calls[0].sequence, 1);
  EXPECT_EQ(calls[0].image, rendered_image(1));
  // The same frame again: the same id, no second save.
  capture(s);
  ASSERT_TRUE(peer->wait_texts("frame_saved", 2));
  stats(s);
  EXPECT_EQ(capture_script->calls.size(), 1u);
  EXPECT_EQ(saved_ids(*peer), (std::vector<std::int64_t>{100, 100}));
  // A newer frame is a new capture.
  deliver(s, *peer, 2);
  capture(s);
  ASSERT_TRUE(peer->wait_texts("frame_saved", 3));
  EXPECT_EQ(saved_ids(*peer), (std::vector<std::int64_t>{100, 100, 101}));
  ASSERT_EQ(capture_script->calls.size(), 2u);
  EXPECT_EQ(capture_script->calls.snapshot()[1].sequence, 2);
  EXPECT_TRUE(peer->errors().empty());
}

TEST_F(SessionCaptureTest, CapturesWhileTheFrameIsBeingSavedShareOneSave) {
  capture_script->mode = capture_reply::hold;
  auto peer = std::make_shared<fake_client_peer>();
  auto s = streaming(peer);
  capture(s);
  capture(s);
  ASSERT_TRUE(capture_script->calls.wait_size(1));
  stats(s); // both captures handled
  EXPECT_EQ(capture_script->calls.size(), 1u);
  EXPECT_TRUE(peer->texts("frame_saved").empty());
  caf::anon_send(env.capture, release_atom::value);
  ASSERT_TRUE(peer->wait_texts("frame_saved", 2));
  EXPECT_EQ(saved_ids(*peer), (std::vector<std::int64_t>{100, 100}));
}

TEST_F(SessionCaptureTest, FailedCaptureIsAnErrorAndMayBeRetried) {
  capture_script->mode = capture_reply::fail;
  auto peer = std::make_shared<fake_client_peer>();
  auto s = streaming(peer);
  capture(s);
  ASSERT_TRUE(peer->wait_texts("error"));
  auto err = peer->texts("error").at(0);
  EXPECT_EQ(err["code"], "PROCESSING_FAILED");
  EXPECT_EQ(err["message"], "Capture failed: disk full");
  // Nothing was saved: the next capture of that frame asks again.
  capture_script->mode = capture_reply::ok;
  capture(s);
  ASSERT_TRUE(peer->wait_texts("frame_saved"));
  EXPECT_EQ(capture_script->calls.size(), 2u);
}

TEST_F(SessionCaptureTest, CaptureNeedsAProcessedFrame) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  capture(s);
  ASSERT_TRUE(peer->wait_texts("error"));
  EXPECT_EQ(peer->errors(), strings{"NOTHING_TO_CAPTURE"});
  EXPECT_EQ(capture_script->calls.size(), 0u);
}

TEST_F(SessionCaptureTest, ShutdownWaitsForPendingCapturesThenHandsOff) {
  capture_script->mode = capture_reply::hold;
  auto peer = std::make_shared<fake_client_peer>();
  auto s = streaming(peer);
  capture(s);
  ASSERT_TRUE(capture_script->calls.wait_size(1));
  caf::anon_send(s, actors::shutdown_atom::value);
  stats(s); // the shutdown is handled: closing, waiting for the capture
  EXPECT_TRUE(peer->closes().empty());
  // Closing: the client is no longer heard (no frame, no capture, no error).
  frame(s, 2);
  capture(s);
  stats(s);
  EXPECT_EQ(channel.frames.size(), 1u);
  EXPECT_EQ(capture_script->calls.size(), 1u);
  EXPECT_TRUE(peer->errors().empty());
  caf::anon_send(env.capture, release_atom::value);
  ASSERT_TRUE(peer->wait_close());
  EXPECT_EQ(saved_ids(*peer), std::vector<std::int64_t>{100});
  EXPECT_EQ(peer->closes(), std::vector<std::uint16_t>{1012});
  ASSERT_TRUE(wait_down(s));
  // Handed off, not ended: no final status, the AI session is forgotten
  // (another node may go on with it), the figures are written.
  EXPECT_EQ(final_stats()["frames_processed"], 1);
  EXPECT_EQ(statuses(*persisted_log, default_id), strings{"active"});
  EXPECT_TRUE(link_script->forgets.wait_size(1));
  EXPECT_EQ(link_script->closes.size(), 0u);
}
