// The AI link's session handling: init, replies, frames, close.

#include "tests/actors/ai_link_fixture.hpp"

#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "protocol/ai_message.hpp"

using namespace tryon::testing;
using namespace tryon;
using strings = std::vector<std::string>;

namespace {

class AiLinkTest : public ai_link_fixture {};

} // namespace

TEST_F(AiLinkTest, ConnectsEveryChannelAtStart) {
  cfg.connections = 3;
  start_link();
  ASSERT_EQ(channels.made.size(), 3u);
  EXPECT_EQ(channels.url, cfg.url);
  for (auto& c : channels.made)
    EXPECT_EQ(c->connects, 1);
  EXPECT_FALSE(ready_probe());
  chan(1).raise_open();
  run();
  EXPECT_TRUE(ready_probe());
}

TEST_F(AiLinkTest, OpenSendsInitSession) {
  start_link();
  chan(0).raise_open();
  run();
  auto [peer, log] = make_session();
  open("s1", peer, 42);
  ASSERT_EQ(chan(0).texts.size(), 1u);
  auto j = nlohmann::json::parse(chan(0).texts[0]);
  EXPECT_EQ(j["type"], "init_session");
  EXPECT_EQ(j["session_id"], "s1");
  EXPECT_EQ(j["nail_reference"]["url"], "file:///designs/s1.jpg");
  EXPECT_EQ(j["nail_reference"]["post_id"], 42);
  EXPECT_TRUE(log->events.empty());
}

TEST_F(AiLinkTest, InitSessionCarriesTheUrlTheAiCanFetch) {
  // TRYON_INTERNAL_MEDIA_URL: the config maps the session's URL.
  cfg.reference_for_ai = [](const std::string& url) {
    return "http://internal:8000/" + url.substr(url.rfind('/') + 1);
  };
  start_link();
  chan(0).raise_open();
  run();
  auto [peer, log] = make_session();
  open("s1", peer, 42);
  ASSERT_EQ(chan(0).texts.size(), 1u);
  auto j = nlohmann::json::parse(chan(0).texts[0]);
  EXPECT_EQ(j["nail_reference"]["url"], "http://internal:8000/s1.jpg");
}

TEST_F(AiLinkTest, OpenBeforeChannelUpSendsInitOnOpen) {
  start_link();
  auto [peer, log] = make_session();
  open("s1", peer);
  EXPECT_TRUE(chan(0).texts.empty());
  chan(0).raise_open();
  run();
  ASSERT_EQ(chan(0).texts.size(), 1u);
  EXPECT_EQ(text_kind(chan(0).texts[0]),
            std::make_pair(std::string{"init_session"}, std::string{"s1"}));
  EXPECT_TRUE(
      nlohmann::json::parse(chan(0).texts[0])["nail_reference"]["post_id"]
          .is_null());
}

TEST_F(AiLinkTest, SessionInitializedDeliversReadyOnce) {
  start_link();
  chan(0).raise_open();
  auto [peer, log] = make_session();
  open("s1", peer);
  chan(0).raise_text(protocol::ai_session_initialized_msg("s1"));
  chan(0).raise_text(protocol::ai_session_initialized_msg("s1"));
  run();
  EXPECT_EQ(log->events, strings{"ready"});
}

TEST_F(AiLinkTest, InitErrorDeliversFailed) {
  start_link();
  chan(0).raise_open();
  auto [peer, log] = make_session();
  open("s1", peer);
  chan(0).raise_text(
      protocol::ai_session_error_msg("s1", "INIT_FAILED", "bad design"));
  run();
  EXPECT_EQ(log->events, strings{"failed INIT_FAILED"});
  EXPECT_EQ(nlohmann::json::parse(stats())["sessions"], 0);
}

TEST_F(AiLinkTest, FrameForwardedAndResultRoutedToItsSession) {
  start_link();
  chan(0).raise_open();
  auto [a, log_a] = make_session();
  auto [b, log_b] = make_session();
  open("a", a);
  open("b", b);
  frame("a", 7);
  ASSERT_EQ(chan(0).binaries.size(), 1u);
  auto header = protocol::decode_ai_frame_request(*chan(0).binaries[0]);
  ASSERT_TRUE(
      std::holds_alternative<protocol::ai_frame_request_header>(header));
  EXPECT_EQ(std::get<protocol::ai_frame_request_header>(header).sequence, 7);
  chan(0).raise_binary(processed("b", 3));
  chan(0).raise_binary(processed("a", 7));
  chan(0).raise_binary(processed("gone", 1));
  run();
  EXPECT_EQ(log_a->events, strings{"result 7"});
  EXPECT_EQ(log_b->events, strings{"result 3"});
  ASSERT_EQ(log_a->results.size(), 1u);
  EXPECT_EQ(log_a->results[0].format, "jpeg");
  EXPECT_DOUBLE_EQ(log_a->results[0].confidence, 0.5);
  EXPECT_EQ(log_a->results[0].message->substr(1024), "\xFF\xD8out");
  auto st = nlohmann::json::parse(stats());
  EXPECT_EQ(st["results"], 2);
  EXPECT_EQ(st["unknown_session_replies"], 1);
}

TEST_F(AiLinkTest, FrameErrorRouted) {
  start_link();
  chan(0).raise_open();
  auto [peer, log] = make_session();
  open("s1", peer);
  frame("s1", 4);
  chan(0).raise_text(
      protocol::ai_frame_error_msg("s1", 4, "FRAME_PROCESSING_FAILED", "x"));
  chan(0).raise_text("not json");
  run();
  EXPECT_EQ(log->events, strings{"frame_err 4 FRAME_PROCESSING_FAILED"});
  auto st = nlohmann::json::parse(stats());
  EXPECT_EQ(st["frame_errors"], 1);
  EXPECT_EQ(st["bad_messages"], 1);
}

TEST_F(AiLinkTest, SessionBoundToItsChannelOnceInitIsQueued) {
  cfg.connections = 2;
  start_link();
  auto [a, log_a] = make_session();
  open("a", a);
  EXPECT_EQ(log_a->binds, 0); // no channel up: nothing to write to yet
  chan(1).raise_open();
  run();
  ASSERT_EQ(log_a->binds, 1);
  EXPECT_EQ(log_a->binding.channel, channels.made[1]);
  ASSERT_EQ(chan(1).texts.size(), 1u); // the init is queued before frames
  frame("a", 1);
  EXPECT_EQ(chan(1).binaries.size(), 1u);
}

TEST_F(AiLinkTest, BadAndUnknownRepliesCounted) {
  start_link();
  chan(0).raise_open();
  auto [peer, log] = make_session();
  open("s1", peer);
  chan(0).raise_binary("short");
  chan(0).raise_binary(processed("nobody", 1));
  run();
  EXPECT_TRUE(log->events.empty());
  auto st = nlohmann::json::parse(stats());
  EXPECT_EQ(st["bad_messages"], 1);
  EXPECT_EQ(st["unknown_session_replies"], 1);
  EXPECT_EQ(st["results"], 0);
}

TEST_F(AiLinkTest, CloseSendsCloseSession) {
  start_link();
  chan(0).raise_open();
  auto [peer, log] = make_session();
  open("s1", peer);
  caf::anon_send(link, actors::ai_close_atom::value, std::string{"s1"});
  run();
  ASSERT_EQ(chan(0).texts.size(), 2u);
  EXPECT_EQ(text_kind(chan(0).texts[1]),
            std::make_pair(std::string{"close_session"}, std::string{"s1"}));
  chan(0).raise_binary(processed("s1", 1)); // a late answer
  run();
  EXPECT_TRUE(log->events.empty());
  EXPECT_EQ(nlohmann::json::parse(stats())["unknown_session_replies"], 1);
}

TEST_F(AiLinkTest, SessionActorExitSendsCloseSession) {
  start_link();
  chan(0).raise_open();
  auto [peer, log] = make_session();
  open("s1", peer);
  caf::anon_send_exit(peer, caf::exit_reason::user_shutdown);
  run();
  ASSERT_EQ(chan(0).texts.size(), 2u);
  EXPECT_EQ(text_kind(chan(0).texts[1]).first, "close_session");
  EXPECT_EQ(nlohmann::json::parse(stats())["sessions"], 0);
}

TEST_F(AiLinkTest, SessionsSpreadOverChannels) {
  cfg.connections = 2;
  start_link();
  chan(0).raise_open();
  chan(1).raise_open();
  run();
  auto [a, log_a] = make_session();
  auto [b, log_b] = make_session();
  open("a", a);
  open("b", b);
  EXPECT_EQ(chan(0).texts.size(), 1u);
  EXPECT_EQ(chan(1).texts.size(), 1u);
}

TEST_F(AiLinkTest, ExitShutsChannelsDown) {
  cfg.connections = 2;
  start_link();
  caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
  run();
  EXPECT_TRUE(chan(0).stopped);
  EXPECT_TRUE(chan(1).stopped);
}

TEST_F(AiLinkTest, CapacityMessageLimitsTheChannelAndTheBindingCarriesIt) {
  cfg.connections = 2;
  start_link();
  chan(0).raise_open();
  chan(1).raise_open();
  auto [a, log_a] = make_session();
  open("a", a);
  chan(0).raise_text(protocol::ai_capacity_msg(2));
  chan(0).raise_text(R"({"type":"capacity","frames":-3})"); // refused
  run();
  ASSERT_EQ(log_a->binds, 1);
  ASSERT_TRUE(log_a->binding.credits);
  EXPECT_EQ(log_a->binding.credits->gate.snapshot().capacity, 2u);
  auto st = nlohmann::json::parse(stats());
  EXPECT_EQ(st["credits"], true);
  EXPECT_EQ(st["capacity_updates"], 1);
  EXPECT_EQ(st["bad_messages"], 1);
  EXPECT_EQ(st["channels"][0]["capacity"], 2);
  EXPECT_EQ(st["channels"][1]["capacity"], 0); // its AI said nothing
  EXPECT_EQ(st["channels"][0]["sessions"], 1);
}

TEST_F(AiLinkTest, WithCreditsOffCapacityIsIgnoredAndSessionsSendFreely) {
  cfg.credits = false;
  start_link();
  chan(0).raise_open();
  auto [a, log_a] = make_session();
  open("a", a);
  chan(0).raise_text(protocol::ai_capacity_msg(1));
  run();
  ASSERT_EQ(log_a->binds, 1);
  EXPECT_FALSE(log_a->binding.credits);
  auto st = nlohmann::json::parse(stats());
  EXPECT_EQ(st["credits"], false);
  EXPECT_EQ(st["capacity_updates"], 0);
  EXPECT_FALSE(st["channels"][0].contains("capacity"));
}
