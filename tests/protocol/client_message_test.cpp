#include "protocol/client_message.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tryon::protocol {
namespace {

using nlohmann::json;

client_message parse_ok(std::string_view text) {
  auto result = parse_client_message(text);
  if (auto* err = std::get_if<parse_error>(&result)) {
    ADD_FAILURE() << "unexpected error: " << err->message;
    return {};
  }
  return std::get<client_message>(result);
}

parse_error parse_fail(std::string_view text) {
  auto result = parse_client_message(text);
  if (!std::holds_alternative<parse_error>(result)) {
    ADD_FAILURE() << "expected an error for " << text;
    return {};
  }
  return std::get<parse_error>(result);
}

TEST(ClientMessage, InitSession) {
  EXPECT_TRUE(std::holds_alternative<init_session_msg>(
      parse_ok(R"({"type":"init_session"})")));
  // Extra fields are ignored, as the original consumer did.
  EXPECT_TRUE(std::holds_alternative<init_session_msg>(
      parse_ok(R"({"type":"init_session","nail_post_id":3})")));
  EXPECT_FALSE(
      std::get<init_session_msg>(parse_ok(R"({"type":"init_session"})"))
          .stream_hints);
}

TEST(ClientMessage, InitSessionCapabilities) {
  auto hints = [](std::string_view text) {
    return std::get<init_session_msg>(parse_ok(text)).stream_hints;
  };
  EXPECT_TRUE(
      hints(R"({"type":"init_session","capabilities":["x","stream_hints"]})"));
  EXPECT_FALSE(hints(R"({"type":"init_session","capabilities":["x"]})"));
  EXPECT_FALSE(hints(R"({"type":"init_session","capabilities":[]})"));
  EXPECT_FALSE(hints(R"({"type":"init_session","capabilities":null})"));
  for (const char* bad :
       {R"({"type":"init_session","capabilities":"stream_hints"})",
        R"({"type":"init_session","capabilities":[1]})",
        R"({"type":"init_session","capabilities":{"stream_hints":true}})"})
    EXPECT_EQ(parse_fail(bad).code, error_code::invalid_json) << bad;
}

TEST(ClientMessage, ControlPauseAndResume) {
  auto pause = parse_ok(R"({"type":"control","action":"pause"})");
  ASSERT_TRUE(std::holds_alternative<control_msg>(pause));
  EXPECT_EQ(std::get<control_msg>(pause).act, control_msg::action::pause);
  auto resume = parse_ok(R"({"action":"resume","type":"control"})");
  ASSERT_TRUE(std::holds_alternative<control_msg>(resume));
  EXPECT_EQ(std::get<control_msg>(resume).act, control_msg::action::resume);
}

TEST(ClientMessage, ControlWithBadActionIsInvalidJson) {
  for (const char* text :
       {R"({"type":"control"})", R"({"type":"control","action":null})",
        R"({"type":"control","action":"stop"})",
        R"({"type":"control","action":"PAUSE"})",
        R"({"type":"control","action":1})"}) {
    auto err = parse_fail(text);
    EXPECT_EQ(err.code, error_code::invalid_json) << text;
    EXPECT_NE(err.message.find("action"), std::string::npos) << err.message;
  }
}

TEST(ClientMessage, Capture) {
  EXPECT_TRUE(
      std::holds_alternative<capture_msg>(parse_ok(R"({"type":"capture"})")));
}

TEST(ClientMessage, PingKeepsNumericTimestampAsSent) {
  for (const char* ts : {"1700000000123", "1.5", "-3", "0"}) {
    auto msg =
        parse_ok(std::string(R"({"type":"ping","timestamp":)") + ts + "}");
    ASSERT_TRUE(std::holds_alternative<ping_msg>(msg)) << ts;
    EXPECT_EQ(std::get<ping_msg>(msg).timestamp, json::parse(ts));
  }
}

TEST(ClientMessage, PingWithoutNumericTimestampIsInvalidJson) {
  // Anything else would be echoed (and queued) whatever its size.
  for (const char* ts : {"\"abc\"", "{\"a\":[1]}", "null", "[1]", "true"}) {
    auto err =
        parse_fail(std::string(R"({"type":"ping","timestamp":)") + ts + "}");
    EXPECT_EQ(err.code, error_code::invalid_json) << ts;
    EXPECT_NE(err.message.find("timestamp"), std::string::npos) << ts;
  }
  EXPECT_EQ(parse_fail(R"({"type":"ping"})").code, error_code::invalid_json);
}

TEST(ClientMessage, NonObjectIsInvalidJson) {
  for (const char* text : {"", "   ", "hello", "{", R"({"type":"ping")", "[]",
                           R"(["type","ping"])", "42", "\"ping\"", "null",
                           "{\"type\":\"ping\"} trailing", "\xFF"}) {
    EXPECT_EQ(parse_fail(text).code, error_code::invalid_json) << text;
  }
}

TEST(ClientMessage, DeeplyNestedJsonIsInvalid) {
  std::string text = R"({"type":"ping","timestamp":)" + std::string(5000, '[') +
                     std::string(5000, ']') + "}";
  EXPECT_EQ(parse_fail(text).code, error_code::invalid_json);
}

TEST(ClientMessage, MissingOrNonStringTypeIsUnknownType) {
  for (const char* text :
       {"{}", R"({"action":"pause"})", R"({"type":null})", R"({"type":1})",
        R"({"type":["ping"]})", R"({"Type":"ping"})"}) {
    EXPECT_EQ(parse_fail(text).code, error_code::unknown_message_type) << text;
  }
}

TEST(ClientMessage, UnknownTypeIsReportedByName) {
  auto err = parse_fail(R"({"type":"selfie"})");
  EXPECT_EQ(err.code, error_code::unknown_message_type);
  EXPECT_NE(err.message.find("selfie"), std::string::npos);
  EXPECT_EQ(parse_fail(R"({"type":"PING"})").code,
            error_code::unknown_message_type);
  EXPECT_EQ(parse_fail(R"({"type":""})").code,
            error_code::unknown_message_type);
}

TEST(ClientMessage, EchoedTypeNameIsBounded) {
  auto err = parse_fail(R"({"type":")" + std::string(100000, 'x') + "\"}");
  EXPECT_EQ(err.code, error_code::unknown_message_type);
  EXPECT_LT(err.message.size(), 200u);
}

} // namespace
} // namespace tryon::protocol
