// PROTOCOL.md section 3, connecting and text messages, end to end: a real
// client -> tryon-server -> tryon-ai, over real sockets.

#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_stack.hpp"

using nlohmann::json;
using namespace tryon::testing;

namespace {

class WsConnect : public shared_stack_suite<WsConnect> {
protected:
  static void SetUpTestSuite() {
    test_stack::options o;
    o.server_env["TRYON_MAX_FRAME_SIZE"] = "262144";
    start_stack(o);
  }
  void prepare() override {
    alice_ = stack_->make_user("alice");
    bob_ = stack_->make_user("bob");
    session_ = stack_->make_session(alice_);
    ASSERT_EQ(session_.size(), 36u);
  }
  std::unique_ptr<ws_client>
  connect(const std::string& session, const test_user* u,
          std::vector<std::pair<std::string, std::string>> h = {}) {
    if (u)
      h.push_back(u->auth());
    return std::make_unique<ws_client>(stack_->port(),
                                       "/ws/try-on/" + session + "/", h);
  }
  // Connects as alice and completes init_session.
  std::unique_ptr<ws_client> ready_client() {
    auto c = connect(session_, &alice_);
    c->send_text(R"({"type":"init_session"})");
    auto ready = c->read_type("session_ready");
    EXPECT_TRUE(ready.has_value());
    return c;
  }
  json expect_error(ws_client& c, const std::string& code) {
    auto msg = c.read_type("error");
    EXPECT_TRUE(msg.has_value()) << "expected error " << code;
    if (!msg)
      return {};
    auto j = json::parse(*msg);
    EXPECT_EQ(j["code"], code) << *msg;
    return j;
  }

  test_user alice_, bob_;
  std::string session_;
};

} // namespace

TEST_F(WsConnect, MissingOrBadTokenCloses4001) {
  auto c = connect(session_, nullptr);
  ASSERT_TRUE(c->open());
  EXPECT_FALSE(c->read());
  EXPECT_EQ(c->close_code(), 4001u);
  auto bad = connect(session_, nullptr, {{"Authorization", "Token wrong"}});
  EXPECT_FALSE(bad->read());
  EXPECT_EQ(bad->close_code(), 4001u);
}

TEST_F(WsConnect, UnknownSessionCloses4004AfterAccept) {
  auto c = connect("00000000-0000-4000-8000-000000000000", &alice_);
  ASSERT_TRUE(c->open()) << "the upgrade must be accepted first";
  EXPECT_FALSE(c->read());
  EXPECT_EQ(c->close_code(), 4004u);
  auto junk = connect("not-a-uuid", &alice_);
  EXPECT_FALSE(junk->read());
  EXPECT_EQ(junk->close_code(), 4004u);
}

TEST_F(WsConnect, OtherUsersSessionCloses4003) {
  auto c = connect(session_, &bob_);
  EXPECT_FALSE(c->read());
  EXPECT_EQ(c->close_code(), 4003u);
}

TEST_F(WsConnect, ExpiredSessionGetsErrorThen4008) {
  stack_->sql(
      "UPDATE tryon_sessions SET expires_at = now() - interval '1 minute' "
      "WHERE id = '" +
      session_ + "'");
  auto c = connect(session_, &alice_);
  auto err = expect_error(*c, "SESSION_EXPIRED");
  EXPECT_EQ(err["recoverable"], false);
  EXPECT_FALSE(c->read());
  EXPECT_EQ(c->close_code(), 4008u);
}

TEST_F(WsConnect, QueryTokenWorksForBrowsers) {
  ws_client c{stack_->port(),
              "/ws/try-on/" + session_ + "/?token=" + alice_.token};
  c.send_text(R"({"type":"ping","timestamp":1})");
  EXPECT_TRUE(c.read_type("pong"));
}

TEST_F(WsConnect, ForeignOriginIsRefusedAtTheHandshake) {
  auto c = connect(session_, &alice_, {{"Origin", "https://evil.example"}});
  EXPECT_FALSE(c->open());
  EXPECT_EQ(c->handshake_status(), 403u);
  auto ok = connect(
      session_, &alice_,
      {{"Origin", "http://127.0.0.1:" + std::to_string(stack_->port())}});
  EXPECT_TRUE(ok->open());
}

TEST_F(WsConnect, InitSessionAnswersSessionReadyAndActivates) {
  auto c = connect(session_, &alice_);
  c->send_text(R"({"type":"init_session"})");
  auto msg = c->read_type("session_ready");
  ASSERT_TRUE(msg);
  auto j = json::parse(*msg);
  EXPECT_EQ(j["session_id"], session_);
  EXPECT_EQ(j["mode"], "explore");
  EXPECT_NE(
      j["nail_reference_url"].get<std::string>().find("/media/posts/demo.jpg"),
      std::string::npos);
  EXPECT_EQ(j["config"]["target_fps"], 25);
  EXPECT_EQ(j["config"]["max_resolution"], "720p");
  EXPECT_EQ(j["config"]["supported_formats"], json({"webp", "jpeg"}));
  EXPECT_TRUE(j["timestamp"].is_number_integer());
  // The status change is written asynchronously.
  std::string status;
  for (int i = 0; i < 50 && status != "active"; ++i) {
    status = stack_->db().sessions.find_session(session_)->status;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, "active");
}

TEST_F(WsConnect, PingEchoesTheTimestamp) {
  auto c = connect(session_, &alice_);
  c->send_text(R"({"type":"ping","timestamp":1700000000123.5})");
  auto pong = c->read_type("pong");
  ASSERT_TRUE(pong);
  EXPECT_EQ(json::parse(*pong)["timestamp"], json::parse("1700000000123.5"));
}

TEST_F(WsConnect, PingWithANonNumericTimestampGetsAnError) {
  // Echoing any JSON value let a client park megabytes in its reply queue.
  auto c = connect(session_, &alice_);
  c->send_text(R"({"type":"ping","timestamp":{"a":[1,2.5,"x"]}})");
  EXPECT_EQ(expect_error(*c, "INVALID_JSON")["recoverable"], true);
  c->send_text(R"({"type":"ping","timestamp":"12"})");
  expect_error(*c, "INVALID_JSON");
  // The connection stays usable.
  c->send_text(R"({"type":"ping","timestamp":3})");
  ASSERT_TRUE(c->read_type("pong"));
}

TEST_F(WsConnect, BadTextGetsTheRightErrorAndTheConnectionStays) {
  auto c = connect(session_, &alice_);
  c->send_text("not json");
  EXPECT_EQ(expect_error(*c, "INVALID_JSON")["recoverable"], true);
  c->send_text("[1,2]");
  expect_error(*c, "INVALID_JSON");
  c->send_text(R"({"type":"dance"})");
  expect_error(*c, "UNKNOWN_MESSAGE_TYPE");
  c->send_text(R"({"hello":1})");
  expect_error(*c, "UNKNOWN_MESSAGE_TYPE");
  c->send_text(R"({"type":"capture"})");
  expect_error(*c, "NOT_INITIALIZED");
  c->send_binary(make_client_frame(1, make_test_jpeg()));
  expect_error(*c, "NOT_INITIALIZED");
  c->send_text(R"({"type":"ping","timestamp":7})");
  EXPECT_TRUE(c->read_type("pong"));
}

TEST_F(WsConnect, BadFramesGetErrorsAndTheConnectionStays) {
  auto c = ready_client();
  c->send_binary(std::string(100, 'x'));
  expect_error(*c, "INVALID_FRAME_HEADER");
  std::string no_seq = R"({"timestamp":1})";
  no_seq.resize(1024, '\0');
  c->send_binary(no_seq + make_test_jpeg());
  expect_error(*c, "INVALID_FRAME_HEADER");
  std::string garbage(1024, '{');
  c->send_binary(garbage + make_test_jpeg());
  expect_error(*c, "INVALID_FRAME_HEADER");
  c->send_binary(make_client_frame(1, std::string(300000, 'x')));
  expect_error(*c, "FRAME_TOO_LARGE");
  c->send_text(R"({"type":"capture"})");
  expect_error(*c, "NOTHING_TO_CAPTURE");
  c->send_text(R"({"type":"ping","timestamp":8})");
  EXPECT_TRUE(c->read_type("pong"));
}

TEST_F(WsConnect, SecondConnectionReplacesTheFirstWith4009) {
  auto first = ready_client();
  auto second = connect(session_, &alice_);
  EXPECT_FALSE(first->read_type("never"));
  EXPECT_EQ(first->close_code(), 4009u);
  second->send_text(R"({"type":"init_session"})");
  EXPECT_TRUE(second->read_type("session_ready"));
  second->send_binary(make_client_frame(1, make_test_jpeg()));
  EXPECT_TRUE(second->read_type("processed_frame"));
}
