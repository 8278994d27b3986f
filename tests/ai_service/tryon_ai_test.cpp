// Starts the real tryon-ai binary on a free loopback port and speaks
// PROTOCOL.md section 4 to it with a small Beast WebSocket client.
#include "ai_service/image_codec.hpp"
#include "ai_service/nail_design.hpp"
#include "protocol/ai_message.hpp"
#include "test_images.hpp"

#include "service_harness.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace tryon;
using namespace tryon::ai::test;

namespace {

std::string jpeg_of(const ai::rgb_image& img) {
  return std::get<std::string>(ai::encode_jpeg(img, 85));
}

struct temp_design_file {
  std::string path = std::string{TRYON_BINARY_DIR} + "/ai_it_design_" +
                     std::to_string(::getpid()) + ".jpg";
  temp_design_file() {
    const std::string jpeg = jpeg_of(ai::make_demo_design(128));
    std::ofstream(path, std::ios::binary) << jpeg;
  }
  ~temp_design_file() { std::remove(path.c_str()); }
};

template <class T, class V>
const T& expect_alt(const V& v) {
  if (!std::holds_alternative<T>(v))
    throw std::runtime_error("unexpected message kind");
  return std::get<T>(v);
}

const std::string sid = "0b7e4c4e-8a1d-4c57-9b84-2a3c1f9e7d10";

} // namespace

TEST(TryonAi, SpeaksTheAiProtocol) {
  service_process proc({"--threads", "2"});
  ASSERT_TRUE(proc.started());
  client c;
  ASSERT_TRUE(c.connect(proc.port()));
  temp_design_file design;

  // init_session with a file:// URL -> session_initialized.
  c.send_text(protocol::ai_init_session(sid, "file://" + design.path, 42));
  auto ev = protocol::parse_ai_event(c.read_text());
  const auto& init = expect_alt<protocol::ai_session_initialized>(
      expect_alt<protocol::ai_event>(ev));
  EXPECT_EQ(init.session_id, sid);
  // Before it, right after the handshake: the connection's share of the
  // capacity, twice the workers (AI credits), this being the only one.
  ASSERT_EQ(c.capacities.size(), 1u);
  EXPECT_EQ(expect_alt<protocol::ai_capacity>(
                expect_alt<protocol::ai_event>(
                    protocol::parse_ai_event(c.capacities[0])))
                .frames,
            4u);

  // A hand frame -> processed_frame, same sequence, a valid JPEG.
  const std::string hand = jpeg_of(ai::test::draw_hand(640, 360));
  c.send_binary(protocol::encode_ai_frame(sid, 7, 1234, "jpeg", hand));
  const std::string reply = c.read_binary();
  auto header = protocol::decode_ai_processed_frame(reply);
  const auto& h = expect_alt<protocol::ai_processed_header>(header);
  EXPECT_EQ(h.session_id, sid);
  EXPECT_EQ(h.sequence, 7);
  EXPECT_EQ(h.format, "jpeg");
  EXPECT_GT(h.confidence, 0.5);
  EXPECT_GT(h.processing_time_ms, 0.0);
  auto img = ai::decode_image(protocol::frame_image(reply));
  ASSERT_TRUE(std::holds_alternative<ai::rgb_image>(img));
  EXPECT_EQ(std::get<ai::rgb_image>(img).width, 640);
  EXPECT_NE(protocol::frame_image(reply), hand); // nails were painted

  // Back-to-back frames come back in sequence order.
  for (int seq = 10; seq < 16; ++seq)
    c.send_binary(protocol::encode_ai_frame(sid, seq, 0, "jpeg", hand));
  for (int seq = 10; seq < 16; ++seq) {
    auto hs = protocol::decode_ai_processed_frame(c.read_binary());
    EXPECT_EQ(expect_alt<protocol::ai_processed_header>(hs).sequence, seq);
  }

  // Undecodable image -> frame_error FRAME_PROCESSING_FAILED.
  c.send_binary(protocol::encode_ai_frame(
      sid, 20, 0, "jpeg", std::string("\xFF\xD8\xFF\xE0", 4) + "garbage"));
  auto bad = protocol::parse_ai_event(c.read_text());
  const auto& fe =
      expect_alt<protocol::ai_frame_error>(expect_alt<protocol::ai_event>(bad));
  EXPECT_EQ(fe.sequence, 20);
  EXPECT_EQ(fe.code, "FRAME_PROCESSING_FAILED");

  // Unknown session -> frame_error INVALID_SESSION.
  c.send_binary(protocol::encode_ai_frame("nope", 3, 0, "jpeg", hand));
  auto unknown = protocol::parse_ai_event(c.read_text());
  const auto& ue = expect_alt<protocol::ai_frame_error>(
      expect_alt<protocol::ai_event>(unknown));
  EXPECT_EQ(ue.session_id, "nope");
  EXPECT_EQ(ue.sequence, 3);
  EXPECT_EQ(ue.code, "INVALID_SESSION");

  // A reference that cannot be read -> error INIT_FAILED.
  c.send_text(protocol::ai_init_session("s2", "file:///nonexistent/x.jpg",
                                        std::nullopt));
  auto failed = protocol::parse_ai_event(c.read_text());
  const auto& ie = expect_alt<protocol::ai_session_error>(
      expect_alt<protocol::ai_event>(failed));
  EXPECT_EQ(ie.session_id, "s2");
  EXPECT_EQ(ie.code, "INIT_FAILED");

  // close_session forgets the session.
  c.send_text(protocol::ai_close_session(sid));
  c.send_binary(protocol::encode_ai_frame(sid, 30, 0, "jpeg", hand));
  auto closed = protocol::parse_ai_event(c.read_text());
  EXPECT_EQ(expect_alt<protocol::ai_frame_error>(
                expect_alt<protocol::ai_event>(closed))
                .code,
            "INVALID_SESSION");

  c.close();
  EXPECT_EQ(proc.stop(), 0);
}

TEST(TryonAi, PassthroughEchoesTheInput) {
  service_process proc({"--passthrough"});
  ASSERT_TRUE(proc.started());
  client c;
  ASSERT_TRUE(c.connect(proc.port()));
  temp_design_file design;
  c.send_text(protocol::ai_init_session(sid, "file://" + design.path, 1));
  c.read_text();
  const std::string webp =
      ai::test::encode_webp(ai::test::draw_no_hand(64, 48));
  c.send_binary(protocol::encode_ai_frame(sid, 1, 0, "webp", webp));
  const std::string reply = c.read_binary();
  auto decoded = protocol::decode_ai_processed_frame(reply);
  const auto& h = expect_alt<protocol::ai_processed_header>(decoded);
  EXPECT_EQ(h.confidence, 1.0);
  EXPECT_EQ(h.format, "webp");
  EXPECT_EQ(protocol::frame_image(reply), webp);
  // Malformed text gets an error reply, and the connection stays usable.
  c.send_text("not json");
  auto err = protocol::parse_ai_event(c.read_text());
  EXPECT_TRUE(std::holds_alternative<protocol::ai_session_error>(
      expect_alt<protocol::ai_event>(err)));
  c.close();
  EXPECT_EQ(proc.stop(), 0);
}

TEST(TryonAi, StopsCleanlyWithWorkInFlight) {
  service_process proc({"--threads", "1", "--delay-ms", "300"});
  ASSERT_TRUE(proc.started());
  client c;
  ASSERT_TRUE(c.connect(proc.port()));
  temp_design_file design;
  c.send_text(protocol::ai_init_session(sid, "file://" + design.path, 1));
  c.read_text();
  const std::string hand = jpeg_of(ai::test::draw_hand(320, 180));
  for (int seq = 0; seq < 4; ++seq)
    c.send_binary(protocol::encode_ai_frame(sid, seq, 0, "jpeg", hand));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // Frames queued and rendering, connection open: SIGTERM still exits 0
  // (and, under ASan, without leaks).
  EXPECT_EQ(proc.stop(), 0);
}
