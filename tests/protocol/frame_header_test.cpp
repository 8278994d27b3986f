#include "protocol/frame_header.hpp"

#include <gtest/gtest.h>

#include <string>

namespace tryon::protocol {
namespace {

using nlohmann::json;

// A 1024-byte block holding `text` followed by NUL padding.
std::string padded(std::string text) {
  text.resize(frame_header_size, '\0');
  return text;
}

TEST(FrameHeader, EncodePadsWithNulToExactly1024Bytes) {
  auto block = encode_header_block(json{{"sequence", 7}});
  ASSERT_TRUE(block.has_value());
  ASSERT_EQ(block->size(), frame_header_size);
  const std::string text = R"({"sequence":7})";
  EXPECT_EQ(block->substr(0, text.size()), text);
  EXPECT_EQ(block->find_first_not_of('\0', text.size()), std::string::npos);
}

TEST(FrameHeader, EncodeAcceptsDumpOfExactly1024Bytes) {
  // {"k":"<x...>"} is 8 bytes of syntax around the string.
  json obj{{"k", std::string(frame_header_size - 8, 'x')}};
  auto block = encode_header_block(obj);
  ASSERT_TRUE(block.has_value());
  EXPECT_EQ(block->size(), frame_header_size);
  EXPECT_EQ(block->find('\0'), std::string::npos);
}

TEST(FrameHeader, EncodeRejectsOversizeDump) {
  json obj{{"k", std::string(frame_header_size - 7, 'x')}};
  EXPECT_FALSE(encode_header_block(obj).has_value());
}

TEST(FrameHeader, EncodeNeverThrowsOnInvalidUtf8) {
  json obj{{"k", std::string("\xFF\xFE", 2)}};
  auto block = encode_header_block(obj);
  ASSERT_TRUE(block.has_value());
  auto decoded = decode_header_block(*block);
  ASSERT_TRUE(std::holds_alternative<json>(decoded));
}

TEST(FrameHeader, DecodeRoundTrip) {
  json obj{{"sequence", 42}, {"format", "jpeg"}, {"nested", {{"a", 1}}}};
  auto block = encode_header_block(obj);
  ASSERT_TRUE(block.has_value());
  auto decoded = decode_header_block(*block + "image bytes");
  ASSERT_TRUE(std::holds_alternative<json>(decoded));
  EXPECT_EQ(std::get<json>(decoded), obj);
}

TEST(FrameHeader, DecodeRejectsShortMessage) {
  auto block = padded(R"({"sequence":1})");
  auto decoded = decode_header_block(block.substr(0, frame_header_size - 1));
  ASSERT_TRUE(std::holds_alternative<parse_error>(decoded));
  EXPECT_EQ(std::get<parse_error>(decoded).code,
            error_code::invalid_frame_header);
  EXPECT_TRUE(std::holds_alternative<parse_error>(decode_header_block("")));
}

TEST(FrameHeader, DecodeWithoutNulUsesAllOf1024Bytes) {
  json obj{{"k", std::string(frame_header_size - 8, 'x')}};
  auto block = obj.dump();
  ASSERT_EQ(block.size(), frame_header_size);
  auto decoded = decode_header_block(block + "tail");
  ASSERT_TRUE(std::holds_alternative<json>(decoded));
  EXPECT_EQ(std::get<json>(decoded), obj);
}

TEST(FrameHeader, DecodeRejectsJsonRunningPastTheBlock) {
  // No NUL in the first 1024 bytes and the JSON only closes after them.
  json obj{{"k", std::string(frame_header_size, 'x')}};
  auto decoded = decode_header_block(obj.dump());
  ASSERT_TRUE(std::holds_alternative<parse_error>(decoded));
  EXPECT_EQ(std::get<parse_error>(decoded).code,
            error_code::invalid_frame_header);
}

TEST(FrameHeader, BytesAfterFirstNulAreIgnored) {
  std::string block = R"({"sequence":3})";
  block += '\0';
  block += "garbage that is not JSON {[";
  block = padded(block);
  auto decoded = decode_header_block(block);
  ASSERT_TRUE(std::holds_alternative<json>(decoded));
  EXPECT_EQ(std::get<json>(decoded), (json{{"sequence", 3}}));
}

TEST(FrameHeader, SurroundingWhitespaceIsAccepted) {
  auto decoded = decode_header_block(padded(" \n{\"a\":1}\r\n "));
  ASSERT_TRUE(std::holds_alternative<json>(decoded));
}

TEST(FrameHeader, DecodeRejectsNonObjectJson) {
  for (const char* text : {"[1,2,3]", "42", "\"text\"", "null", "true", ""}) {
    auto decoded = decode_header_block(padded(text));
    ASSERT_TRUE(std::holds_alternative<parse_error>(decoded)) << text;
    EXPECT_EQ(std::get<parse_error>(decoded).code,
              error_code::invalid_frame_header);
  }
}

TEST(FrameHeader, DecodeRejectsBrokenJson) {
  for (const char* text : {"{", "{\"a\":}", "{'a':1}", "{\"a\":1}}", "\xFF"}) {
    auto decoded = decode_header_block(padded(text));
    EXPECT_TRUE(std::holds_alternative<parse_error>(decoded)) << text;
  }
}

TEST(FrameHeader, FrameImageIsTheRestAfter1024Bytes) {
  auto block = padded("{}");
  EXPECT_EQ(frame_image(block + "IMG"), "IMG");
  EXPECT_EQ(frame_image(block), "");
  EXPECT_EQ(frame_image("short"), "");
}

TEST(FrameHeader, EncodeFrameAppendsImage) {
  auto frame = encode_frame(json{{"a", 1}}, "IMG");
  EXPECT_EQ(frame.size(), frame_header_size + 3);
  EXPECT_EQ(frame_image(frame), "IMG");
  json big{{"k", std::string(frame_header_size, 'x')}};
  EXPECT_TRUE(encode_frame(big, "IMG").empty());
}

} // namespace
} // namespace tryon::protocol
