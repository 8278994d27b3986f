#include "protocol/client_frame.hpp"

#include "tests/protocol/sample_images.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tryon::protocol {
namespace {

using nlohmann::json;
using test::jpeg_bytes;
using test::png_bytes;
using test::webp_bytes;

constexpr std::size_t max_size = 10 * 1024 * 1024;

// A frame whose header block holds `header_text` verbatim.
std::string raw_frame(std::string header_text, const std::string& image) {
  header_text.resize(frame_header_size, '\0');
  return header_text + image;
}

std::string frame(const json& header, const std::string& image = jpeg_bytes) {
  return raw_frame(header.dump(), image);
}

client_frame_header decode_ok(const std::string& message) {
  auto result = decode_client_frame(message, max_size);
  if (auto* err = std::get_if<parse_error>(&result)) {
    ADD_FAILURE() << "unexpected error: " << err->message;
    return {};
  }
  return std::get<client_frame_header>(result);
}

void expect_error(const std::string& message, error_code code,
                  std::size_t limit = max_size) {
  auto result = decode_client_frame(message, limit);
  ASSERT_TRUE(std::holds_alternative<parse_error>(result));
  EXPECT_EQ(std::get<parse_error>(result).code, code);
  EXPECT_FALSE(std::get<parse_error>(result).message.empty());
}

TEST(ClientFrame, DecodesAllFields) {
  auto header = decode_ok(frame({{"sequence", 12},
                                 {"timestamp", 1700000000123},
                                 {"width", 1280},
                                 {"height", 720},
                                 {"format", "jpeg"}}));
  EXPECT_EQ(header.sequence, 12);
  EXPECT_EQ(header.timestamp, 1700000000123);
  EXPECT_EQ(header.width, 1280);
  EXPECT_EQ(header.height, 720);
  EXPECT_EQ(header.format, "jpeg");
}

TEST(ClientFrame, OptionalFieldsMayBeAbsentOrNull) {
  auto header = decode_ok(frame({{"sequence", 1}}));
  EXPECT_FALSE(header.timestamp.has_value());
  EXPECT_FALSE(header.width.has_value());
  EXPECT_FALSE(header.height.has_value());
  header = decode_ok(frame(json::parse(
      R"({"sequence":1,"timestamp":null,"width":null,"format":null})")));
  EXPECT_FALSE(header.timestamp.has_value());
  EXPECT_FALSE(header.width.has_value());
  EXPECT_EQ(header.format, "jpeg");
}

TEST(ClientFrame, FormatIsSniffedWhenAbsent) {
  EXPECT_EQ(decode_ok(frame({{"sequence", 1}}, jpeg_bytes)).format, "jpeg");
  EXPECT_EQ(decode_ok(frame({{"sequence", 1}}, webp_bytes)).format, "webp");
}

TEST(ClientFrame, DeclaredFormatIsCaseInsensitiveAndAcceptsJpg) {
  EXPECT_EQ(decode_ok(frame({{"sequence", 1}, {"format", "JPG"}})).format,
            "jpeg");
  EXPECT_EQ(decode_ok(frame({{"sequence", 1}, {"format", "WebP"}}, webp_bytes))
                .format,
            "webp");
}

TEST(ClientFrame, DeclaredFormatMustMatchBytes) {
  expect_error(frame({{"sequence", 1}, {"format", "webp"}}, jpeg_bytes),
               error_code::invalid_frame_header);
  expect_error(frame({{"sequence", 1}, {"format", "jpeg"}}, webp_bytes),
               error_code::invalid_frame_header);
  expect_error(frame({{"sequence", 1}, {"format", "gif"}}),
               error_code::invalid_frame_header);
  expect_error(frame({{"sequence", 1}, {"format", 3}}),
               error_code::invalid_frame_header);
}

TEST(ClientFrame, ImageMustBeJpegOrWebp) {
  expect_error(frame({{"sequence", 1}}, png_bytes),
               error_code::invalid_frame_header);
  expect_error(frame({{"sequence", 1}, {"format", "png"}}, png_bytes),
               error_code::invalid_frame_header);
  expect_error(frame({{"sequence", 1}, {"format", "jpeg"}}, "not an image"),
               error_code::invalid_frame_header);
  // Truncated magic.
  expect_error(frame({{"sequence", 1}}, jpeg_bytes.substr(0, 2)),
               error_code::invalid_frame_header);
}

TEST(ClientFrame, EmptyImageIsRejected) {
  expect_error(frame({{"sequence", 1}}, ""), error_code::invalid_frame_header);
}

TEST(ClientFrame, TooLargeIsRejectedBeforeAnythingElse) {
  auto message = frame({{"sequence", 1}});
  expect_error(message, error_code::frame_too_large, message.size() - 1);
  EXPECT_TRUE(std::holds_alternative<client_frame_header>(
      decode_client_frame(message, message.size())));
  // Even a malformed oversize message reports the size.
  expect_error(std::string(2000, 'x'), error_code::frame_too_large, 1500);
}

TEST(ClientFrame, TooShortIsRejected) {
  expect_error("", error_code::invalid_frame_header);
  auto message = frame({{"sequence", 1}}, "");
  expect_error(message.substr(0, frame_header_size - 1),
               error_code::invalid_frame_header);
}

TEST(ClientFrame, BadJsonHeaderIsRejected) {
  expect_error(raw_frame("{\"sequence\":", jpeg_bytes),
               error_code::invalid_frame_header);
  expect_error(raw_frame("not json", jpeg_bytes),
               error_code::invalid_frame_header);
  expect_error(raw_frame("", jpeg_bytes), error_code::invalid_frame_header);
  expect_error(raw_frame("[1]", jpeg_bytes), error_code::invalid_frame_header);
  expect_error(raw_frame("7", jpeg_bytes), error_code::invalid_frame_header);
}

TEST(ClientFrame, SequenceMustBeAnInteger) {
  for (const char* header :
       {R"({})", R"({"sequence":null})", R"({"sequence":1.5})",
        R"({"sequence":1.0})", R"({"sequence":"1"})", R"({"sequence":true})",
        R"({"sequence":[1]})", R"({"sequence":9223372036854775808})",
        R"({"Sequence":1})"}) {
    SCOPED_TRACE(header);
    expect_error(raw_frame(header, jpeg_bytes),
                 error_code::invalid_frame_header);
  }
}

TEST(ClientFrame, SequenceLimits) {
  EXPECT_EQ(decode_ok(raw_frame(R"({"sequence":0})", jpeg_bytes)).sequence, 0);
  EXPECT_EQ(decode_ok(raw_frame(R"({"sequence":-4})", jpeg_bytes)).sequence,
            -4);
  EXPECT_EQ(
      decode_ok(raw_frame(R"({"sequence":9223372036854775807})", jpeg_bytes))
          .sequence,
      9223372036854775807);
}

TEST(ClientFrame, FloatTimestampIsTruncated) {
  auto header = decode_ok(
      raw_frame(R"({"sequence":1,"timestamp":1700000000123.75})", jpeg_bytes));
  EXPECT_EQ(header.timestamp, 1700000000123);
}

TEST(ClientFrame, IllTypedOptionalFieldsAreRejected) {
  for (const char* header :
       {R"({"sequence":1,"timestamp":"now"})",
        R"({"sequence":1,"timestamp":1e300})", R"({"sequence":1,"width":-1})",
        R"({"sequence":1,"width":12.5})", R"({"sequence":1,"height":"720"})",
        R"({"sequence":1,"height":4294967296})"}) {
    SCOPED_TRACE(header);
    expect_error(raw_frame(header, jpeg_bytes),
                 error_code::invalid_frame_header);
  }
}

TEST(ClientFrame, UnknownFieldsAreIgnored) {
  auto header = decode_ok(raw_frame(
      R"({"sequence":5,"camera":"front","extra":{"a":[1,2]}})", jpeg_bytes));
  EXPECT_EQ(header.sequence, 5);
}

TEST(ClientFrame, EncodeDecodeRoundTrip) {
  client_frame_header in{77, 1700000000000, 640, 480, "webp"};
  auto message = encode_client_frame(in, webp_bytes);
  EXPECT_EQ(message.size(), frame_header_size + webp_bytes.size());
  EXPECT_EQ(frame_image(message), webp_bytes);
  auto out = decode_ok(message);
  EXPECT_EQ(out.sequence, in.sequence);
  EXPECT_EQ(out.timestamp, in.timestamp);
  EXPECT_EQ(out.width, in.width);
  EXPECT_EQ(out.height, in.height);
  EXPECT_EQ(out.format, in.format);
}

TEST(ClientFrame, EncodeOmitsUnsetFields) {
  client_frame_header in;
  in.sequence = 3;
  auto message = encode_client_frame(in, jpeg_bytes);
  auto block = message.substr(0, message.find('\0'));
  EXPECT_EQ(block, R"({"sequence":3})");
  EXPECT_EQ(decode_ok(message).format, "jpeg");
}

TEST(ClientFrame, EncodeReturnsEmptyWhenHeaderDoesNotFit) {
  client_frame_header in;
  in.format = std::string(frame_header_size, 'j');
  EXPECT_TRUE(encode_client_frame(in, jpeg_bytes).empty());
}

} // namespace
} // namespace tryon::protocol
