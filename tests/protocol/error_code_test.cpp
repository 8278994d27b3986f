#include "protocol/error_code.hpp"

#include "protocol/close_codes.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace tryon::protocol {
namespace {

const std::vector<std::pair<error_code, std::string_view>> all_codes{
    {error_code::invalid_session, "INVALID_SESSION"},
    {error_code::ai_service_unavailable, "AI_SERVICE_UNAVAILABLE"},
    {error_code::init_failed, "INIT_FAILED"},
    {error_code::processing_failed, "PROCESSING_FAILED"},
    {error_code::frame_processing_failed, "FRAME_PROCESSING_FAILED"},
    {error_code::session_expired, "SESSION_EXPIRED"},
    {error_code::invalid_json, "INVALID_JSON"},
    {error_code::unknown_message_type, "UNKNOWN_MESSAGE_TYPE"},
    {error_code::invalid_frame_header, "INVALID_FRAME_HEADER"},
    {error_code::frame_too_large, "FRAME_TOO_LARGE"},
    {error_code::not_initialized, "NOT_INITIALIZED"},
    {error_code::nothing_to_capture, "NOTHING_TO_CAPTURE"},
    {error_code::rate_limited, "RATE_LIMITED"},
};

TEST(ErrorCode, WireNamesMatchProtocol) {
  for (const auto& [code, name] : all_codes)
    EXPECT_EQ(to_string(code), name);
}

TEST(ErrorCode, NamesRoundTrip) {
  for (const auto& [code, name] : all_codes) {
    auto parsed = error_code_from_string(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, code);
  }
}

TEST(ErrorCode, UnknownNamesAreRejected) {
  EXPECT_FALSE(error_code_from_string("").has_value());
  EXPECT_FALSE(error_code_from_string("invalid_session").has_value());
  EXPECT_FALSE(error_code_from_string("NOPE").has_value());
  EXPECT_FALSE(error_code_from_string("INVALID_SESSION ").has_value());
}

TEST(ErrorCode, OnlyAiUnavailableAndExpiredAreUnrecoverable) {
  for (const auto& [code, name] : all_codes) {
    bool expected = code != error_code::ai_service_unavailable &&
                    code != error_code::session_expired;
    EXPECT_EQ(is_recoverable(code), expected) << name;
  }
}

TEST(CloseCode, ValuesMatchProtocol) {
  EXPECT_EQ(close_code::normal, 1000);
  EXPECT_EQ(close_code::going_away, 1001);
  EXPECT_EQ(close_code::unauthorized, 4001);
  EXPECT_EQ(close_code::forbidden, 4003);
  EXPECT_EQ(close_code::not_found, 4004);
  EXPECT_EQ(close_code::expired, 4008);
  EXPECT_EQ(close_code::replaced, 4009);
}

} // namespace
} // namespace tryon::protocol
