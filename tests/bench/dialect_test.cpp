#include "bench/harness/dialect.hpp"

#include "protocol/ai_message.hpp"
#include "protocol/client_frame.hpp"
#include "protocol/client_message.hpp"
#include "protocol/server_message.hpp"

#include <gtest/gtest.h>

using namespace tryon;
using bench::peer_event;

namespace {

bench::frame_image tiny_frame() {
  static auto f = bench::make_frame(640, 480, 0, 30 * 1024);
  return f;
}

std::string joined(const bench::frame_message& m) {
  return *m.head + *m.body;
}

} // namespace

TEST(ServerDialect, FramesAreWhatEncodeClientFrameBuilds) {
  auto d = bench::make_server_dialect();
  auto img = tiny_frame();
  auto msg = d->encode_frame(42, 1700000000123, img);
  EXPECT_EQ(msg.head->size(), 1024u);
  EXPECT_EQ(msg.size(), 1024 + img.jpeg->size());
  protocol::client_frame_header h;
  h.sequence = 42;
  h.timestamp = 1700000000123;
  h.width = 640;
  h.height = 480;
  h.format = "jpeg";
  EXPECT_EQ(joined(msg), protocol::encode_client_frame(h, *img.jpeg));
  auto back = protocol::decode_client_frame(joined(msg), 10 << 20);
  ASSERT_TRUE(std::holds_alternative<protocol::client_frame_header>(back));
  EXPECT_EQ(std::get<protocol::client_frame_header>(back).sequence, 42);
}

TEST(ServerDialect, TextMessagesAreValidClientMessages) {
  auto d = bench::make_server_dialect();
  EXPECT_TRUE(std::holds_alternative<protocol::client_message>(
      protocol::parse_client_message(d->init_message())));
  auto ping = d->ping_message(123456);
  ASSERT_TRUE(ping);
  auto parsed = protocol::parse_client_message(*ping);
  ASSERT_TRUE(std::holds_alternative<protocol::client_message>(parsed));
  EXPECT_FALSE(d->close_message());
}

TEST(ServerDialect, MetadataThenImageIsOneProcessedFrame) {
  auto d = bench::make_server_dialect();
  auto ready = d->on_message(
      false, protocol::session_ready("id", "url", "explore", {}, 1));
  EXPECT_EQ(ready.what, peer_event::kind::ready);
  auto meta = d->on_message(
      false, protocol::processed_frame(7, 1, 4.2, 0.9, "jpeg", 3));
  EXPECT_EQ(meta.what, peer_event::kind::meta);
  auto img = d->on_message(true, "\xff\xd8 image");
  EXPECT_EQ(img.what, peer_event::kind::processed);
  EXPECT_EQ(img.sequence, 7);
  EXPECT_EQ(img.dropped, 3);
  EXPECT_DOUBLE_EQ(img.processing_ms, 4.2);
  EXPECT_DOUBLE_EQ(img.confidence, 0.9);
  auto stray = d->on_message(true, "\xff\xd8 again"); // no metadata before
  EXPECT_EQ(stray.what, peer_event::kind::error);
}

TEST(ServerDialect, ErrorsPongsAndJunk) {
  auto d = bench::make_server_dialect();
  auto err = d->on_message(
      false,
      protocol::error_message(protocol::error_code::not_initialized, "x", 1));
  EXPECT_EQ(err.what, peer_event::kind::error);
  EXPECT_EQ(err.code, "NOT_INITIALIZED");
  auto pong = d->on_message(false, protocol::pong(nlohmann::json(987654)));
  EXPECT_EQ(pong.what, peer_event::kind::pong);
  EXPECT_EQ(pong.timestamp, 987654);
  EXPECT_EQ(d->on_message(false, "not json").what, peer_event::kind::error);
  EXPECT_EQ(d->on_message(false, R"({"type":"frame_saved"})").what,
            peer_event::kind::other);
}

TEST(AiDialect, SpeaksSectionFour) {
  const std::string id = "5f0c7c1e-8a43-4d43-9d8e-3a1f7d6b2c10";
  auto d = bench::make_ai_dialect(id, "file:///tmp/design.jpg");
  auto init = protocol::parse_ai_request(d->init_message());
  ASSERT_TRUE(std::holds_alternative<protocol::ai_request>(init));
  auto& req =
      std::get<protocol::ai_init_request>(std::get<protocol::ai_request>(init));
  EXPECT_EQ(req.session_id, id);
  EXPECT_EQ(req.nail_url, "file:///tmp/design.jpg");
  auto img = tiny_frame();
  auto msg = d->encode_frame(9, 1700000000123, img);
  auto h = protocol::decode_ai_frame_request(joined(msg));
  ASSERT_TRUE(std::holds_alternative<protocol::ai_frame_request_header>(h));
  EXPECT_EQ(std::get<protocol::ai_frame_request_header>(h).sequence, 9);
  EXPECT_EQ(joined(msg),
            protocol::encode_ai_frame(id, 9, 1700000000123, "jpeg", *img.jpeg));
  ASSERT_TRUE(d->close_message());
  EXPECT_FALSE(d->ping_message(1));
}

TEST(AiDialect, Replies) {
  const std::string id = "5f0c7c1e-8a43-4d43-9d8e-3a1f7d6b2c10";
  auto d = bench::make_ai_dialect(id, "file:///tmp/design.jpg");
  EXPECT_EQ(d->on_message(false, protocol::ai_session_initialized_msg(id)).what,
            peer_event::kind::ready);
  protocol::ai_processed_header ph;
  ph.session_id = id;
  ph.sequence = 11;
  ph.processing_time_ms = 3.5;
  ph.confidence = 0.75;
  ph.format = "jpeg";
  auto done = d->on_message(
      true, protocol::encode_ai_processed_frame(ph, *tiny_frame().jpeg));
  EXPECT_EQ(done.what, peer_event::kind::processed);
  EXPECT_EQ(done.sequence, 11);
  EXPECT_DOUBLE_EQ(done.processing_ms, 3.5);
  EXPECT_DOUBLE_EQ(done.confidence, 0.75);
  auto fe = d->on_message(false, protocol::ai_frame_error_msg(
                                     id, 12, "FRAME_PROCESSING_FAILED", "x"));
  EXPECT_EQ(fe.what, peer_event::kind::error);
  EXPECT_EQ(fe.sequence, 12);
  EXPECT_EQ(fe.code, "FRAME_PROCESSING_FAILED");
  auto se = d->on_message(
      false, protocol::ai_session_error_msg(id, "INIT_FAILED", "no design"));
  EXPECT_EQ(se.what, peer_event::kind::error);
  EXPECT_EQ(se.sequence, -1);
  EXPECT_EQ(d->on_message(true, "short").what, peer_event::kind::error);
}

TEST(ServerDialect, InitAsksForStreamHintsOnlyWhenEnabled) {
  auto plain =
      nlohmann::json::parse(bench::make_server_dialect()->init_message());
  EXPECT_EQ(plain, (nlohmann::json{{"type", "init_session"}}));
  auto d = bench::make_server_dialect(true);
  auto init = nlohmann::json::parse(d->init_message());
  EXPECT_EQ(init["type"], "init_session");
  EXPECT_EQ(init["capabilities"], nlohmann::json::array({"stream_hints"}));
  // Still a valid init_session for servers that do not know capabilities.
  EXPECT_TRUE(std::holds_alternative<protocol::client_message>(
      protocol::parse_client_message(d->init_message())));
  // Hinted phones send the capture time in every frame header.
  auto msg = d->encode_frame(3, 1764711965123, tiny_frame());
  auto h = protocol::decode_client_frame(joined(msg), 10 << 20);
  ASSERT_TRUE(std::holds_alternative<protocol::client_frame_header>(h));
  EXPECT_EQ(std::get<protocol::client_frame_header>(h).timestamp,
            1764711965123);
}

TEST(ServerDialect, StreamHintsAreParsed) {
  auto d = bench::make_server_dialect(true);
  auto ev = d->on_message(
      false, R"({"type":"stream_hint","fps":12,"jpeg_quality":60,)"
             R"("max_width":960,"reason":"uplink","timestamp":1764711965123})");
  ASSERT_EQ(ev.what, peer_event::kind::hint);
  ASSERT_TRUE(ev.hint);
  EXPECT_EQ(ev.hint->fps, 12);
  EXPECT_EQ(ev.hint->jpeg_quality, 60);
  EXPECT_EQ(ev.hint->max_width, 960);
  EXPECT_EQ(ev.hint->reason, "uplink");
  EXPECT_EQ(ev.hint->timestamp, 1764711965123);
  EXPECT_EQ(ev.timestamp, 1764711965123);
  // reason and timestamp are informational: a hint without them counts.
  auto bare = d->on_message(
      false,
      R"({"type":"stream_hint","fps":25,"jpeg_quality":90,"max_width":1280})");
  ASSERT_EQ(bare.what, peer_event::kind::hint);
  EXPECT_EQ(bare.hint->reason, "");
  EXPECT_EQ(bare.hint->timestamp, 0);
  // Unusable hints are errors the report counts, never followed.
  for (
      const char* bad :
      {R"({"type":"stream_hint","fps":"12","jpeg_quality":60,"max_width":960})",
       R"({"type":"stream_hint","fps":0,"jpeg_quality":60,"max_width":960})",
       R"({"type":"stream_hint","fps":12,"jpeg_quality":60.5,"max_width":960})",
       R"({"type":"stream_hint","fps":12,"jpeg_quality":60})"}) {
    auto e = d->on_message(false, bad);
    EXPECT_EQ(e.what, peer_event::kind::error) << bad;
    EXPECT_EQ(e.code, "BAD_STREAM_HINT") << bad;
    EXPECT_FALSE(e.hint) << bad;
  }
}
