#include "protocol/multipart.hpp"

#include "tests/protocol/multipart_fixture.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace tryon::protocol {
namespace {

using namespace std::string_literals;
using namespace test;

TEST(MultipartChunking, BodyFedWhole) {
  recorder rec;
  multipart_parser parser{boundary, rec.callbacks()};
  ASSERT_TRUE(parser.feed(two_part_body()));
  EXPECT_TRUE(parser.done());
  ASSERT_TRUE(parser.finish());
  EXPECT_EQ(parser.error(), "");
  expect_two_parts(rec);
  EXPECT_EQ(rec.order, (std::vector<std::string>{"begin", "data", "end",
                                                 "begin", "data", "end"}));
}

TEST(MultipartChunking, BodyFedOneByteAtATime) {
  recorder rec;
  ASSERT_TRUE(parse_chunked(two_part_body(), 1, rec));
  expect_two_parts(rec);
}

TEST(MultipartChunking, EverySplitPointGivesTheSameParts) {
  auto body = two_part_body();
  for (std::size_t k = 0; k <= body.size(); ++k) {
    SCOPED_TRACE(k);
    recorder rec;
    multipart_parser parser{boundary, rec.callbacks()};
    ASSERT_TRUE(parser.feed(std::string_view(body).substr(0, k)));
    ASSERT_TRUE(parser.feed(std::string_view(body).substr(k)));
    ASSERT_TRUE(parser.finish());
    expect_two_parts(rec);
  }
}

TEST(MultipartChunking, RandomChunking) {
  auto body = two_part_body();
  std::mt19937 rng{12345};
  for (int round = 0; round < 50; ++round) {
    recorder rec;
    multipart_parser parser{boundary, rec.callbacks()};
    std::size_t pos = 0;
    while (pos < body.size()) {
      auto n = std::uniform_int_distribution<std::size_t>{0, 40}(rng);
      ASSERT_TRUE(parser.feed(std::string_view(body).substr(pos, n)));
      pos += n;
    }
    ASSERT_TRUE(parser.finish());
    expect_two_parts(rec);
  }
}

TEST(MultipartChunking, BoundarySplitAcrossChunksHoldsBackOnlyTheTail) {
  recorder rec;
  multipart_parser parser{"XyZ", rec.callbacks()};
  ASSERT_TRUE(parser.feed("--XyZ\r\nContent-Disposition: form-data; "
                          "name=\"a\"\r\n\r\nhello"));
  ASSERT_EQ(rec.parts.size(), 1u);
  EXPECT_EQ(rec.parts[0].data, "hello"); // nothing held back without a CR
  ASSERT_TRUE(parser.feed(" world\r\n-"));
  EXPECT_EQ(rec.parts[0].data, "hello world");
  ASSERT_TRUE(parser.feed("-X"));
  EXPECT_FALSE(rec.parts[0].ended);
  ASSERT_TRUE(parser.feed("yZ"));
  EXPECT_TRUE(rec.parts[0].ended);
  ASSERT_TRUE(parser.feed("-"));
  EXPECT_FALSE(parser.done());
  ASSERT_TRUE(parser.feed("-"));
  EXPECT_TRUE(parser.done());
  ASSERT_TRUE(parser.finish());
  EXPECT_EQ(rec.parts[0].data, "hello world");
}

TEST(MultipartChunking, NearMissOfDelimiterIsData) {
  recorder rec;
  multipart_parser parser{"XyZ", rec.callbacks()};
  ASSERT_TRUE(parser.feed("--XyZ\r\n\r\nab\r\n--Xy"));
  EXPECT_EQ(rec.parts[0].data, "ab");
  ASSERT_TRUE(parser.feed("q\r\n--XyZ--"));
  ASSERT_TRUE(parser.finish());
  EXPECT_EQ(rec.parts[0].data, "ab\r\n--Xyq");
}

} // namespace
} // namespace tryon::protocol
