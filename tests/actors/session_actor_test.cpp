// The session actor on the frame path: init, frames to the AI channel and
// results to the peer, the stale-frame policy, pause/resume, timeouts and a
// lost AI channel. Real actor system, fake peer, link and channel.

#include "tests/actors/session_fixture.hpp"

#include <caf/send.hpp>

#include "protocol/ai_message.hpp"
#include "protocol/frame_header.hpp"

using namespace tryon;
using namespace tryon::testing;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;
using sequences = std::vector<std::int64_t>;

namespace {

class SessionActorTest : public session_fixture {};

std::string control(const std::string& action) {
  return client_text("control", {{"action", action}});
}

} // namespace

TEST_F(SessionActorTest, InitSessionSendsReadyAndPersistsActive) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  auto ready = peer->texts("session_ready").at(0);
  EXPECT_EQ(ready["session_id"], default_id);
  EXPECT_EQ(ready["mode"], "explore");
  EXPECT_EQ(ready["nail_reference_url"], "/media/designs/42.jpg");
  EXPECT_EQ(ready["config"]["target_fps"], 25);
  EXPECT_EQ(statuses_after(1), strings{"active"});
  EXPECT_EQ(link_script->opens.snapshot(), strings{default_id});
  // A client that re-inits while streaming (it reconnected) is answered
  // at once: the AI session is still open.
  ASSERT_TRUE(init(s, *peer, 2));
  stats(s);
  EXPECT_EQ(link_script->opens.size(), 1u);
  EXPECT_TRUE(peer->errors().empty());
}

TEST_F(SessionActorTest, FrameGoesToTheAiAndItsResultBackToThePeer) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  frame(s, 1);
  ASSERT_TRUE(channel.wait_frames(1));
  // The client's header is rewritten for the AI; the image is untouched.
  auto sent = channel.frames.snapshot().at(0);
  auto parsed = protocol::decode_ai_frame_request(*sent);
  ASSERT_TRUE(
      std::holds_alternative<protocol::ai_frame_request_header>(parsed));
  auto& h = std::get<protocol::ai_frame_request_header>(parsed);
  EXPECT_EQ(h.session_id, default_id);
  EXPECT_EQ(h.sequence, 1);
  EXPECT_EQ(h.timestamp, 1700000000001);
  EXPECT_EQ(h.format, "jpeg");
  EXPECT_EQ(protocol::frame_image(*sent), camera_image(1));

  ASSERT_TRUE(answer(0));
  ASSERT_TRUE(peer->wait_frames(1));
  auto [meta, image] = peer->frames().at(0);
  EXPECT_EQ(meta["type"], "processed_frame");
  EXPECT_EQ(meta["sequence"], 1);
  EXPECT_EQ(meta["dropped_frames"], 0);
  EXPECT_EQ(meta["confidence"], 0.75);
  EXPECT_EQ(meta["processing_time_ms"], 4);
  EXPECT_EQ(meta["format"], "jpeg");
  EXPECT_EQ(image, rendered_image(1));

  auto st = stats(s);
  EXPECT_EQ(st["frames_received"], 1);
  EXPECT_EQ(st["frames_accepted"], 1);
  EXPECT_EQ(st["frames_processed"], 1);
  EXPECT_EQ(st["frames_dropped"], 0);
  auto& fast = link_script->routes->counters;
  EXPECT_EQ(fast.frames_forwarded.load(), 1u);
  EXPECT_EQ(fast.results.load(), 1u);
  EXPECT_EQ(fast.in_flight.load(), 0);
}

TEST_F(SessionActorTest, NewerFrameReplacesTheWaitingOneAndDropsAreReported) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  frame(s, 1);
  ASSERT_TRUE(channel.wait_frames(1));
  // Frame 1 is in flight: 2 waits, then 3 replaces it.
  frame(s, 2);
  frame(s, 3);
  auto st = stats(s);
  EXPECT_EQ(st["frames_accepted"], 3);
  EXPECT_EQ(st["frames_dropped"], 1);
  EXPECT_EQ(channel.frames.size(), 1u);

  ASSERT_TRUE(answer(0)); // frees the AI slot: 3 goes, 2 never does
  ASSERT_TRUE(peer->wait_frames(1));
  ASSERT_TRUE(answer(1));
  ASSERT_TRUE(peer->wait_frames(2));
  EXPECT_EQ(channel.sequences(), (sequences{1, 3}));
  auto frames = peer->frames();
  EXPECT_EQ(frames[0].first["sequence"], 1);
  EXPECT_EQ(frames[0].first["dropped_frames"], 1);
  EXPECT_EQ(frames[1].first["sequence"], 3);
  EXPECT_EQ(frames[1].first["dropped_frames"], 0);
  st = stats(s);
  EXPECT_EQ(st["frames_processed"], 2);
  EXPECT_EQ(st["frames_dropped"], 1);
}

TEST_F(SessionActorTest, ResultWaitsForTheWriterAndANewerOneReplacesIt) {
  auto peer = std::make_shared<fake_client_peer>();
  peer->auto_complete = false; // the client reads slowly
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  frame(s, 1);
  ASSERT_TRUE(answer(0));
  ASSERT_TRUE(peer->wait_frames(1)); // still being written
  frame(s, 2);
  ASSERT_TRUE(answer(1));
  frame(s, 3);
  ASSERT_TRUE(answer(2));
  auto st = stats(s);
  EXPECT_EQ(peer->frames().size(), 1u);
  EXPECT_EQ(st["frames_dropped"], 1); // result 2, replaced by 3
  // The write ends; the transport tells the waiting session (cl_wrote).
  peer->complete_write();
  ASSERT_TRUE(peer->wait_frames(2));
  auto frames = peer->frames();
  EXPECT_EQ(frames[1].first["sequence"], 3);
  EXPECT_EQ(frames[1].first["dropped_frames"], 1);
  EXPECT_EQ(stats(s)["frames_processed"], 2);
}

TEST_F(SessionActorTest, PauseStopsForwardingAndResumeRestartsIt) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  text(s, control("pause"));
  frame(s, 1);
  auto st = stats(s);
  EXPECT_EQ(st["frames_received"], 1);
  EXPECT_EQ(st["frames_while_paused"], 1);
  EXPECT_EQ(st["frames_accepted"], 0);
  EXPECT_EQ(channel.frames.size(), 0u);
  text(s, control("resume"));
  frame(s, 2);
  ASSERT_TRUE(channel.wait_frames(1));
  EXPECT_EQ(channel.sequences(), sequences{2});
  EXPECT_EQ(statuses_after(3), (strings{"active", "paused", "active"}));
  EXPECT_TRUE(peer->errors().empty());
}

TEST_F(SessionActorTest, WhileOpeningInitIsNotRepeatedAndFramesWait) {
  link_script->plan(open_reply::bind_only); // the AI has not answered yet
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  text(s, client_text("init_session"));
  text(s, client_text("init_session"));
  frame(s, 1);
  text(s, client_text("capture"));
  ASSERT_TRUE(peer->wait_texts("error", 2));
  stats(s);
  EXPECT_EQ(link_script->opens.size(), 1u);
  EXPECT_EQ(peer->errors(), (strings{"NOT_INITIALIZED", "NOT_INITIALIZED"}));
  EXPECT_TRUE(peer->texts("session_ready").empty());
  EXPECT_EQ(channel.frames.size(), 0u);
  // The AI's answer arrives: streaming from then on.
  caf::anon_send(s, actors::ai_ready_atom::value);
  ASSERT_TRUE(peer->wait_texts("session_ready"));
  frame(s, 2);
  ASSERT_TRUE(channel.wait_frames(1));
  EXPECT_EQ(channel.sequences(), sequences{2});
}

TEST_F(SessionActorTest, ClientMessagesBeforeInitAreRefused) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  frame(s, 1);
  text(s, control("pause"));
  text(s, client_text("capture"));
  text(s, "not json");
  text(s, client_text("ping", {{"timestamp", 12.5}}));
  ASSERT_TRUE(peer->wait_texts("pong"));
  EXPECT_EQ(peer->texts("pong").at(0)["timestamp"], 12.5);
  EXPECT_EQ(peer->errors(), (strings{"NOT_INITIALIZED", "NOT_INITIALIZED",
                                     "NOT_INITIALIZED", "INVALID_JSON"}));
  auto st = stats(s);
  EXPECT_EQ(st["frames_rejected"], 1);
  EXPECT_EQ(st["frames_accepted"], 0);
  EXPECT_EQ(link_script->opens.size(), 0u);
}

TEST_F(SessionActorTest, OversizedFrameIsRejected) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  caf::anon_send(s, actors::cl_big_atom::value, std::uint64_t{1},
                 std::uint64_t{20000000});
  ASSERT_TRUE(peer->wait_texts("error"));
  EXPECT_EQ(peer->errors(), strings{"FRAME_TOO_LARGE"});
  EXPECT_EQ(stats(s)["frames_rejected"], 1);
}

TEST_F(SessionActorTest, UnansweredFrameTimesOutAndTheNextOneGoes) {
  env.frame_timeout = 200ms;
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  frame(s, 1);
  ASSERT_TRUE(peer->wait_texts("error"));
  auto err = peer->texts("error").at(0);
  EXPECT_EQ(err["code"], "FRAME_PROCESSING_FAILED");
  EXPECT_EQ(err["recoverable"], true);
  EXPECT_EQ(err["message"], "AI service did not answer frame 1 in time");
  EXPECT_EQ(stats(s)["frames_dropped"], 1);
  frame(s, 2);
  ASSERT_TRUE(channel.wait_frames(2));
  EXPECT_EQ(channel.sequences(), (sequences{1, 2}));
  // The late answer to frame 1 is not delivered.
  ASSERT_TRUE(answer(0));
  EXPECT_EQ(stats(s)["frames_processed"], 0);
  EXPECT_TRUE(peer->frames().empty());
}

TEST_F(SessionActorTest, AiLostWithAFrameInFlightCountsItDropped) {
  auto peer = std::make_shared<fake_client_peer>();
  auto s = start(peer);
  ASSERT_TRUE(init(s, *peer));
  frame(s, 1);
  ASSERT_TRUE(channel.wait_frames(1));
  caf::anon_send(s, actors::ai_lost_atom::value);
  auto st = stats(s);
  EXPECT_EQ(st["frames_dropped"], 1);
  EXPECT_EQ(link_script->routes->counters.in_flight.load(), 0);
  // Unbound: a frame fails at once, without an error message.
  frame(s, 2);
  EXPECT_EQ(stats(s)["frames_dropped"], 2);
  EXPECT_EQ(channel.frames.size(), 1u);
  // The link binds the session to a channel again: frames flow.
  caf::anon_send(
      s, actors::ai_bind_atom::value,
      actors::ai_binding{link_script->channel, link_script->routes, nullptr});
  frame(s, 3);
  ASSERT_TRUE(answer(1));
  ASSERT_TRUE(peer->wait_frames(1));
  auto [meta, image] = peer->frames().at(0);
  EXPECT_EQ(meta["sequence"], 3);
  EXPECT_EQ(meta["dropped_frames"], 2);
  // The lost frame's answer, should it still come, is ignored.
  ASSERT_TRUE(answer(0));
  st = stats(s);
  EXPECT_EQ(st["frames_processed"], 1);
  EXPECT_EQ(st["frames_dropped"], 2);
  EXPECT_EQ(peer->frames().size(), 1u);
  EXPECT_TRUE(peer->errors().empty());
  EXPECT_TRUE(peer->closes().empty());
}
