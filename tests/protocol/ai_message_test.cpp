#include "protocol/ai_message.hpp"

#include "tests/protocol/sample_images.hpp"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace tryon::protocol {
namespace {

using nlohmann::json;
using test::jpeg_bytes;
using test::png_bytes;
using test::webp_bytes;

constexpr std::string_view sid = "123e4567-e89b-12d3-a456-426614174000";

template <class T, class Result>
T get_ok(const Result& result) {
  if (auto* err = std::get_if<parse_error>(&result)) {
    ADD_FAILURE() << "unexpected error: " << err->message;
    return {};
  }
  const auto& value = std::get<0>(result);
  if constexpr (std::is_same_v<T, std::decay_t<decltype(value)>>) {
    return value;
  } else {
    if (!std::holds_alternative<T>(value)) {
      ADD_FAILURE() << "unexpected alternative";
      return {};
    }
    return std::get<T>(value);
  }
}

template <class Result>
error_code error_of(const Result& result) {
  if (!std::holds_alternative<parse_error>(result)) {
    ADD_FAILURE() << "expected an error";
    return error_code::processing_failed;
  }
  return std::get<parse_error>(result).code;
}

std::string raw_frame(std::string header_text, const std::string& image) {
  header_text.resize(frame_header_size, '\0');
  return header_text + image;
}

// -- server -> AI ------------------------------------------------------------

TEST(AiMessage, InitSessionWireFormat) {
  auto msg = json::parse(ai_init_session(sid, "http://h/a.jpg", 7));
  EXPECT_EQ(msg, json::parse(R"({"type":"init_session",
    "session_id":"123e4567-e89b-12d3-a456-426614174000",
    "nail_reference":{"url":"http://h/a.jpg","post_id":7,"metadata":{}}})"));
  auto no_post = json::parse(ai_init_session(sid, "/media/u.png", {}));
  EXPECT_TRUE(no_post["nail_reference"].contains("post_id"));
  EXPECT_TRUE(no_post["nail_reference"]["post_id"].is_null());
}

TEST(AiMessage, InitSessionRoundTrip) {
  auto req = get_ok<ai_init_request>(
      parse_ai_request(ai_init_session(sid, "http://h/a.jpg", 7)));
  EXPECT_EQ(req.session_id, sid);
  EXPECT_EQ(req.nail_url, "http://h/a.jpg");
  EXPECT_EQ(req.post_id, 7);
  EXPECT_EQ(req.metadata, json::object());
  req = get_ok<ai_init_request>(
      parse_ai_request(ai_init_session(sid, "/media/u.png", std::nullopt)));
  EXPECT_FALSE(req.post_id.has_value());
}

TEST(AiMessage, CloseSessionRoundTrip) {
  auto text = ai_close_session(sid);
  EXPECT_EQ(json::parse(text),
            (json{{"type", "close_session"}, {"session_id", sid}}));
  auto req = get_ok<ai_close_request>(parse_ai_request(text));
  EXPECT_EQ(req.session_id, sid);
}

TEST(AiMessage, FrameRoundTrip) {
  auto message = encode_ai_frame(sid, 9, 1700000000000, "webp", webp_bytes);
  ASSERT_EQ(message.size(), frame_header_size + webp_bytes.size());
  auto block = message.substr(0, message.find('\0'));
  EXPECT_EQ(json::parse(block), (json{{"session_id", sid},
                                      {"sequence", 9},
                                      {"timestamp", 1700000000000},
                                      {"format", "webp"}}));
  auto header =
      get_ok<ai_frame_request_header>(decode_ai_frame_request(message));
  EXPECT_EQ(header.session_id, sid);
  EXPECT_EQ(header.sequence, 9);
  EXPECT_EQ(header.timestamp, 1700000000000);
  EXPECT_EQ(header.format, "webp");
  EXPECT_EQ(frame_image(message), webp_bytes);
}

TEST(AiMessage, FrameWithOversizeHeaderEncodesEmpty) {
  std::string huge(frame_header_size, 's');
  EXPECT_TRUE(encode_ai_frame(huge, 1, 1, "jpeg", jpeg_bytes).empty());
}

// -- AI -> server ------------------------------------------------------------

TEST(AiMessage, SessionInitializedRoundTrip) {
  auto text = ai_session_initialized_msg(sid);
  EXPECT_EQ(json::parse(text),
            (json{{"type", "session_initialized"}, {"session_id", sid}}));
  auto ev = get_ok<ai_session_initialized>(parse_ai_event(text));
  EXPECT_EQ(ev.session_id, sid);
}

TEST(AiMessage, SessionErrorRoundTrip) {
  auto text = ai_session_error_msg(sid, "INIT_FAILED", "no such design");
  EXPECT_EQ(json::parse(text), (json{{"type", "error"},
                                     {"session_id", sid},
                                     {"code", "INIT_FAILED"},
                                     {"message", "no such design"}}));
  auto ev = get_ok<ai_session_error>(parse_ai_event(text));
  EXPECT_EQ(ev.session_id, sid);
  EXPECT_EQ(ev.code, "INIT_FAILED");
  EXPECT_EQ(ev.message, "no such design");
}

TEST(AiMessage, FrameErrorRoundTrip) {
  auto text = ai_frame_error_msg(sid, 12, "FRAME_PROCESSING_FAILED", "decode");
  EXPECT_EQ(json::parse(text), (json{{"type", "frame_error"},
                                     {"session_id", sid},
                                     {"sequence", 12},
                                     {"code", "FRAME_PROCESSING_FAILED"},
                                     {"message", "decode"}}));
  auto ev = get_ok<ai_frame_error>(parse_ai_event(text));
  EXPECT_EQ(ev.session_id, sid);
  EXPECT_EQ(ev.sequence, 12);
  EXPECT_EQ(ev.code, "FRAME_PROCESSING_FAILED");
  EXPECT_EQ(ev.message, "decode");
}

TEST(AiMessage, CapacityRoundTripNeedsNoSession) {
  auto text = ai_capacity_msg(3);
  EXPECT_EQ(json::parse(text), (json{{"type", "capacity"}, {"frames", 3}}));
  EXPECT_EQ(get_ok<ai_capacity>(parse_ai_event(text)).frames, 3u);
  EXPECT_EQ(
      get_ok<ai_capacity>(parse_ai_event(R"({"type":"capacity","frames":0})"))
          .frames,
      0u);
  for (const char* bad :
       {R"({"type":"capacity"})", R"({"type":"capacity","frames":-1})",
        R"({"type":"capacity","frames":"2"})",
        R"({"type":"capacity","frames":1.5})",
        R"({"type":"capacity","frames":4097})"})
    EXPECT_EQ(error_of(parse_ai_event(bad)), error_code::invalid_json) << bad;
}

TEST(AiMessage, ProcessedFrameRoundTrip) {
  ai_processed_header in{std::string(sid), 33, 0.91, 18.25, "jpeg"};
  auto message = encode_ai_processed_frame(in, jpeg_bytes);
  auto block = json::parse(message.substr(0, message.find('\0')));
  EXPECT_EQ(block["type"], "processed_frame");
  EXPECT_EQ(block.size(), 6u);
  auto out = get_ok<ai_processed_header>(decode_ai_processed_frame(message));
  EXPECT_EQ(out.session_id, in.session_id);
  EXPECT_EQ(out.sequence, in.sequence);
  EXPECT_DOUBLE_EQ(out.confidence, in.confidence);
  EXPECT_DOUBLE_EQ(out.processing_time_ms, in.processing_time_ms);
  EXPECT_EQ(out.format, in.format);
  EXPECT_EQ(frame_image(message), jpeg_bytes);
}

TEST(AiMessage, EventErrors) {
  EXPECT_EQ(error_of(parse_ai_event("not json")), error_code::invalid_json);
  EXPECT_EQ(error_of(parse_ai_event("[]")), error_code::invalid_json);
  EXPECT_EQ(error_of(parse_ai_event(R"({"session_id":"s"})")),
            error_code::unknown_message_type);
  EXPECT_EQ(error_of(parse_ai_event(R"({"type":"hello","session_id":"s"})")),
            error_code::unknown_message_type);
  EXPECT_EQ(error_of(parse_ai_event(R"({"type":"session_initialized"})")),
            error_code::invalid_json);
  EXPECT_EQ(error_of(parse_ai_event(
                R"({"type":"session_initialized","session_id":5})")),
            error_code::invalid_json);
  EXPECT_EQ(error_of(parse_ai_event(
                R"({"type":"frame_error","session_id":"s","code":"X"})")),
            error_code::invalid_json);
  EXPECT_EQ(error_of(parse_ai_event(
                R"({"type":"frame_error","session_id":"s","sequence":"1"})")),
            error_code::invalid_json);
  EXPECT_EQ(
      error_of(parse_ai_event(R"({"type":"error","session_id":"s","code":7})")),
      error_code::invalid_json);
  // A request type is not an event.
  EXPECT_EQ(error_of(parse_ai_event(ai_close_session(sid))),
            error_code::unknown_message_type);
}

TEST(AiMessage, EventCodeAndMessageAreOptional) {
  auto ev = get_ok<ai_session_error>(
      parse_ai_event(R"({"type":"error","session_id":"s"})"));
  EXPECT_EQ(ev.code, "");
  EXPECT_EQ(ev.message, "");
}

TEST(AiMessage, ProcessedFrameErrors) {
  auto bad = [](const char* header, const std::string& image = jpeg_bytes) {
    return error_of(decode_ai_processed_frame(raw_frame(header, image)));
  };
  const auto invalid = error_code::invalid_frame_header;
  EXPECT_EQ(bad(R"({"type":"frame","session_id":"s","sequence":1})"), invalid);
  EXPECT_EQ(bad(R"({"sequence":1})"), invalid);
  EXPECT_EQ(bad(R"({"session_id":"","sequence":1})"), invalid);
  EXPECT_EQ(bad(R"({"session_id":"s"})"), invalid);
  EXPECT_EQ(bad(R"({"session_id":"s","sequence":1.5})"), invalid);
  EXPECT_EQ(bad(R"({"session_id":"s","sequence":1,"confidence":"hi"})"),
            invalid);
  EXPECT_EQ(bad(R"({"session_id":"s","sequence":1})", ""), invalid);
  EXPECT_EQ(bad(R"({"session_id":"s","sequence":1})", "????"), invalid);
  EXPECT_EQ(bad(R"({"session_id":"s","sequence":1,"format":2})"), invalid);
  EXPECT_EQ(bad("nope"), invalid);
  EXPECT_EQ(error_of(decode_ai_processed_frame("short")), invalid);
}

TEST(AiMessage, ProcessedFrameDefaultsAndSniffing) {
  auto out = get_ok<ai_processed_header>(decode_ai_processed_frame(
      raw_frame(R"({"session_id":"s","sequence":4})", png_bytes)));
  EXPECT_EQ(out.format, "png");
  EXPECT_EQ(out.confidence, 0.0);
  EXPECT_EQ(out.processing_time_ms, 0.0);
}

TEST(AiMessage, RequestErrors) {
  EXPECT_EQ(error_of(parse_ai_request("{")), error_code::invalid_json);
  EXPECT_EQ(error_of(parse_ai_request(R"({"session_id":"s"})")),
            error_code::unknown_message_type);
  EXPECT_EQ(error_of(parse_ai_request(R"({"type":"x","session_id":"s"})")),
            error_code::unknown_message_type);
  EXPECT_EQ(error_of(parse_ai_request(R"({"type":"close_session"})")),
            error_code::invalid_json);
  for (const char* text :
       {R"({"type":"init_session","session_id":"s"})",
        R"({"type":"init_session","session_id":"s","nail_reference":"u"})",
        R"({"type":"init_session","session_id":"s","nail_reference":{}})",
        R"({"type":"init_session","session_id":"s",
            "nail_reference":{"url":"u","post_id":"7"}})",
        R"({"type":"init_session","session_id":"s",
            "nail_reference":{"url":"u","metadata":[]}})"}) {
    EXPECT_EQ(error_of(parse_ai_request(text)), error_code::invalid_json)
        << text;
  }
}

TEST(AiMessage, RequestKeepsMetadata) {
  auto req = get_ok<ai_init_request>(parse_ai_request(
      R"({"type":"init_session","session_id":"s",
        "nail_reference":{"url":"u","metadata":{"shape":"almond"}}})"));
  EXPECT_EQ(req.metadata, (json{{"shape", "almond"}}));
  EXPECT_FALSE(req.post_id.has_value());
}

TEST(AiMessage, FrameRequestErrorsAndDefaults) {
  const auto invalid = error_code::invalid_frame_header;
  EXPECT_EQ(error_of(decode_ai_frame_request(
                raw_frame(R"({"sequence":1})", jpeg_bytes))),
            invalid);
  EXPECT_EQ(error_of(decode_ai_frame_request(
                raw_frame(R"({"session_id":"s"})", jpeg_bytes))),
            invalid);
  EXPECT_EQ(
      error_of(decode_ai_frame_request(raw_frame(
          R"({"session_id":"s","sequence":1,"timestamp":"x"})", jpeg_bytes))),
      invalid);
  EXPECT_EQ(error_of(decode_ai_frame_request(
                raw_frame(R"({"session_id":"s","sequence":1})", ""))),
            invalid);
  EXPECT_EQ(error_of(decode_ai_frame_request(
                raw_frame(R"({"session_id":"s","sequence":1})", "????"))),
            invalid);
  auto header = get_ok<ai_frame_request_header>(decode_ai_frame_request(
      raw_frame(R"({"session_id":"s","sequence":1})", webp_bytes)));
  EXPECT_EQ(header.timestamp, 0);
  EXPECT_EQ(header.format, "webp");
}

} // namespace
} // namespace tryon::protocol
