#include "protocol/server_message.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

namespace tryon::protocol {
namespace {

using nlohmann::json;

std::set<std::string> keys_of(const json& obj) {
  std::set<std::string> keys;
  for (const auto& item : obj.items())
    keys.insert(item.key());
  return keys;
}

void expect_type_first(const std::string& text, const std::string& type) {
  EXPECT_EQ(text.rfind(R"({"type":")" + type + "\"", 0), 0u) << text;
}

TEST(ServerMessage, NowMsIsWallClockMilliseconds) {
  using namespace std::chrono;
  auto before =
      duration_cast<milliseconds>(system_clock::now().time_since_epoch())
          .count();
  auto now = now_ms();
  auto after =
      duration_cast<milliseconds>(system_clock::now().time_since_epoch())
          .count();
  EXPECT_GE(now, before);
  EXPECT_LE(now, after);
}

TEST(ServerMessage, SessionReadyWithDefaultConfig) {
  auto text = session_ready("123e4567-e89b-12d3-a456-426614174000",
                            "http://h/media/posts/a.jpg", "explore", {}, 99);
  expect_type_first(text, "session_ready");
  auto msg = json::parse(text);
  EXPECT_EQ(keys_of(msg),
            (std::set<std::string>{"type", "session_id", "nail_reference_url",
                                   "mode", "config", "timestamp"}));
  EXPECT_EQ(msg["session_id"], "123e4567-e89b-12d3-a456-426614174000");
  EXPECT_EQ(msg["nail_reference_url"], "http://h/media/posts/a.jpg");
  EXPECT_EQ(msg["mode"], "explore");
  EXPECT_EQ(msg["timestamp"], 99);
  EXPECT_EQ(msg["config"], json::parse(R"({"target_fps":25,
    "max_resolution":"720p","supported_formats":["webp","jpeg"]})"));
}

TEST(ServerMessage, SessionReadyWithCustomConfig) {
  stream_config cfg;
  cfg.target_fps = 15;
  cfg.max_resolution = "480p";
  cfg.supported_formats = {"jpeg"};
  auto msg = json::parse(session_ready("s", "/media/u.png", "upload", cfg, 1));
  EXPECT_EQ(msg["mode"], "upload");
  EXPECT_EQ(msg["config"]["target_fps"], 15);
  EXPECT_EQ(msg["config"]["max_resolution"], "480p");
  EXPECT_EQ(msg["config"]["supported_formats"], json::array({"jpeg"}));
}

TEST(ServerMessage, ProcessedFrame) {
  auto text = processed_frame(41, 1700000000000, 12.5, 0.875, "jpeg", 3);
  expect_type_first(text, "processed_frame");
  auto msg = json::parse(text);
  EXPECT_EQ(keys_of(msg),
            (std::set<std::string>{"type", "sequence", "timestamp",
                                   "processing_time_ms", "confidence", "format",
                                   "dropped_frames"}));
  EXPECT_EQ(msg["sequence"], 41);
  EXPECT_EQ(msg["timestamp"], 1700000000000);
  EXPECT_TRUE(msg["processing_time_ms"].is_number_float());
  EXPECT_DOUBLE_EQ(msg["processing_time_ms"].get<double>(), 12.5);
  EXPECT_TRUE(msg["confidence"].is_number_float());
  EXPECT_DOUBLE_EQ(msg["confidence"].get<double>(), 0.875);
  EXPECT_EQ(msg["format"], "jpeg");
  EXPECT_EQ(msg["dropped_frames"], 3);
}

TEST(ServerMessage, ErrorMessageForEveryCode) {
  for (int i = 0; i <= static_cast<int>(error_code::rate_limited); ++i) {
    auto code = static_cast<error_code>(i);
    auto text = error_message(code, "something broke", 5);
    expect_type_first(text, "error");
    auto msg = json::parse(text);
    EXPECT_EQ(keys_of(msg),
              (std::set<std::string>{"type", "code", "message", "recoverable",
                                     "timestamp"}));
    EXPECT_EQ(msg["code"], std::string(to_string(code)));
    EXPECT_EQ(msg["message"], "something broke");
    EXPECT_EQ(msg["recoverable"], is_recoverable(code));
    EXPECT_EQ(msg["timestamp"], 5);
  }
}

TEST(ServerMessage, RecoverableFlagPerCode) {
  auto flag = [](error_code code) {
    return json::parse(error_message(code, "", 0))["recoverable"].get<bool>();
  };
  EXPECT_FALSE(flag(error_code::ai_service_unavailable));
  EXPECT_FALSE(flag(error_code::session_expired));
  EXPECT_TRUE(flag(error_code::invalid_json));
  EXPECT_TRUE(flag(error_code::invalid_frame_header));
  EXPECT_TRUE(flag(error_code::not_initialized));
  EXPECT_TRUE(flag(error_code::processing_failed));
}

TEST(ServerMessage, ErrorMessageSurvivesInvalidUtf8) {
  auto text = error_message(error_code::invalid_json, "bad \xFF byte", 0);
  auto msg = json::parse(text);
  EXPECT_EQ(msg["message"], "bad \xEF\xBF\xBD byte");
}

TEST(ServerMessage, PongEchoesTimestampUnchanged) {
  for (const char* ts : {"1700000000123", "1.25", "\"t\"", "null",
                         "{\"a\":[1,{\"b\":2}]}", "-9"}) {
    auto text = pong(json::parse(ts));
    EXPECT_EQ(text, std::string(R"({"type":"pong","timestamp":)") + ts + "}");
    auto msg = json::parse(text);
    EXPECT_EQ(msg["type"], "pong");
    EXPECT_EQ(msg["timestamp"], json::parse(ts));
  }
}

TEST(ServerMessage, FrameSaved) {
  auto text = frame_saved(314, 1700000000000);
  expect_type_first(text, "frame_saved");
  EXPECT_EQ(json::parse(text),
            json::parse(R"({"type":"frame_saved","try_on_id":314,
                            "timestamp":1700000000000})"));
}

TEST(ServerMessage, StreamHint) {
  auto text = stream_hint({12, 50, 960}, "uplink", 1700000000000);
  expect_type_first(text, "stream_hint");
  EXPECT_EQ(json::parse(text),
            json::parse(R"({"type":"stream_hint","fps":12,"jpeg_quality":50,
                            "max_width":960,"reason":"uplink",
                            "timestamp":1700000000000})"));
}

} // namespace
} // namespace tryon::protocol
