// A faulty AI service never strands a phone (issue 14), end to end: a
// phone on the real tryon-server, which talks to the real tryon-ai started
// with a fault-injection flag.
//   --hang-init:           init_session is never answered -> the phone gets
//                          INIT_FAILED (recoverable) after the init timeout
//                          and may try again;
//   --never-answer-frames: init works, frames are never answered -> each
//                          frame gets FRAME_PROCESSING_FAILED after the
//                          frame timeout and the session keeps going.

#include <chrono>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "stack_helpers.hpp"
#include "test_stack.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

template <class Suite>
class FaultyAiStack : public shared_stack_suite<Suite> {
protected:
  static test_stack::options with_ai(std::vector<std::string> ai_args) {
    test_stack::options o;
    o.ai_args = std::move(ai_args);
    o.server_env["TRYON_AI_INIT_TIMEOUT_MS"] = "500";
    o.server_env["TRYON_AI_FRAME_TIMEOUT_MS"] = "400";
    return o;
  }

  std::unique_ptr<ws_client> connect(const test_user& u,
                                     const std::string& session) {
    return std::make_unique<ws_client>(
        this->stack_->port(), "/ws/try-on/" + session + "/",
        std::vector<std::pair<std::string, std::string>>{u.auth()});
  }

  /// Reads up to the next text message (binary messages fail the test).
  static std::optional<json> next_text(ws_client& c) {
    auto m = c.read(15s);
    if (!m)
      return std::nullopt;
    EXPECT_FALSE(m->binary) << "unexpected binary message";
    return json::parse(m->data);
  }

  /// The connection still answers: a ping gets its pong next.
  static void expect_usable(ws_client& c) {
    c.send_text(R"({"type":"ping","timestamp":9})");
    auto pong = next_text(c);
    ASSERT_TRUE(pong) << "no pong: the connection is not usable";
    EXPECT_EQ((*pong)["type"], "pong") << pong->dump();
  }
};

class HungInitAi : public FaultyAiStack<HungInitAi> {
protected:
  static void SetUpTestSuite() { start_stack(with_ai({"--hang-init"})); }
};

class SilentFramesAi : public FaultyAiStack<SilentFramesAi> {
protected:
  static void SetUpTestSuite() {
    start_stack(with_ai({"--never-answer-frames"}));
  }
};

} // namespace

TEST_F(HungInitAi, PhoneGetsInitFailedAndMayRetry) {
  auto u = stack_->make_user("u");
  auto session = stack_->make_session(u);
  auto c = connect(u, session);
  ASSERT_TRUE(c->open());
  for (int attempt = 1; attempt <= 2; ++attempt) {
    c->send_text(R"({"type":"init_session"})");
    auto answer = next_text(*c);
    ASSERT_TRUE(answer) << "attempt " << attempt
                        << ": no answer to init_session (phone stranded)";
    EXPECT_EQ((*answer)["type"], "error") << answer->dump();
    EXPECT_EQ((*answer)["code"], "INIT_FAILED") << answer->dump();
    EXPECT_EQ((*answer)["recoverable"], true) << answer->dump();
    expect_usable(*c);
  }
  // Not initialised: a frame is refused as such, not sent to the AI.
  c->send_binary(make_client_frame(1, make_test_jpeg()));
  auto refused = next_text(*c);
  ASSERT_TRUE(refused);
  EXPECT_EQ((*refused)["code"], "NOT_INITIALIZED") << refused->dump();
  auto status = stack_->db().sessions.find_session(session)->status;
  EXPECT_NE(status, "error") << "INIT_FAILED is recoverable";
  EXPECT_NE(status, "active");
  c->close();
}

TEST_F(SilentFramesAi, EveryUnansweredFrameGetsAnErrorAndTheSessionGoesOn) {
  auto u = stack_->make_user("u");
  auto session = stack_->make_session(u);
  auto c = open_ready(*stack_, u, session);
  ASSERT_TRUE(c) << "no session_ready (init must still work)";
  for (std::int64_t seq = 1; seq <= 3; ++seq) {
    c->send_binary(make_client_frame(seq, make_test_jpeg()));
    auto err = next_text(*c);
    ASSERT_TRUE(err) << "frame " << seq << " was never answered";
    EXPECT_EQ((*err)["type"], "error") << err->dump();
    EXPECT_EQ((*err)["code"], "FRAME_PROCESSING_FAILED") << err->dump();
    EXPECT_EQ((*err)["recoverable"], true) << err->dump();
    EXPECT_NE((*err)["message"].get<std::string>().find("frame " +
                                                        std::to_string(seq)),
              std::string::npos)
        << err->dump();
  }
  expect_usable(*c);
  EXPECT_EQ(stack_->db().sessions.find_session(session)->status, "active");
  c->close();
}
