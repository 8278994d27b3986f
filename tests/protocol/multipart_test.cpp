#include "protocol/multipart.hpp"

#include "tests/protocol/multipart_fixture.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tryon::protocol {
namespace {

using namespace std::string_literals;
using namespace test;

TEST(Multipart, MissingClosingBoundaryFailsAtFinish) {
  auto body = two_part_body();
  body.resize(body.size() - ("--\r\n"s).size());
  recorder rec;
  multipart_parser parser{boundary, rec.callbacks()};
  ASSERT_TRUE(parser.feed(body));
  EXPECT_FALSE(parser.done());
  EXPECT_FALSE(parser.finish());
  EXPECT_NE(parser.error().find("closing boundary"), std::string::npos);
}

TEST(Multipart, TruncatedBodyFailsAtFinish) {
  auto body = two_part_body();
  for (std::size_t cut :
       {std::size_t{0}, std::size_t{5}, body.size() / 2, body.size() - 3}) {
    recorder rec;
    multipart_parser parser{boundary, rec.callbacks()};
    ASSERT_TRUE(parser.feed(std::string_view(body).substr(0, cut)));
    EXPECT_FALSE(parser.finish()) << cut;
  }
}

TEST(Multipart, HeaderTooLarge) {
  std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"" +
                     std::string(200, 'n') + "\"\r\n\r\nx\r\n--XyZ--";
  recorder rec;
  multipart_parser parser{"XyZ", rec.callbacks(), 64};
  EXPECT_FALSE(parser.feed(body));
  EXPECT_NE(parser.error().find("too large"), std::string::npos);
  EXPECT_TRUE(rec.parts.empty());
  EXPECT_FALSE(parser.finish());
}

TEST(Multipart, HeaderTooLargeFedByteByByte) {
  std::string body = "--XyZ\r\n" + std::string(100, 'h');
  multipart_parser parser{"XyZ", {}, 64};
  bool ok = true;
  for (char c : body)
    ok = ok && parser.feed(std::string_view(&c, 1));
  EXPECT_FALSE(ok);
  EXPECT_NE(parser.error().find("too large"), std::string::npos);
}

TEST(Multipart, HeaderAtTheLimitIsAccepted) {
  std::string header = "Content-Disposition: form-data; name=\"a\"";
  std::string body = "--XyZ\r\n" + header + "\r\n\r\nx\r\n--XyZ--";
  recorder rec;
  EXPECT_TRUE(parse_chunked(body, 1, rec, "XyZ"));
  recorder strict;
  multipart_parser parser{"XyZ", strict.callbacks(), header.size()};
  EXPECT_TRUE(parser.feed(body));
  EXPECT_TRUE(parser.finish());
  multipart_parser tighter{"XyZ", {}, header.size() - 1};
  EXPECT_FALSE(tighter.feed(body));
}

TEST(Multipart, CallbackAbort) {
  for (int which = 0; which < 3; ++which) {
    SCOPED_TRACE(which);
    recorder rec;
    rec.refuse_begin = which == 0;
    rec.refuse_data = which == 1;
    rec.refuse_end = which == 2;
    multipart_parser parser{boundary, rec.callbacks()};
    EXPECT_FALSE(parser.feed(two_part_body()));
    EXPECT_NE(parser.error().find("aborted"), std::string::npos);
    EXPECT_EQ(rec.parts.size(), 1u);
    EXPECT_EQ(rec.order.size(), static_cast<std::size_t>(which + 1));
    EXPECT_FALSE(parser.feed("more"));
    EXPECT_FALSE(parser.finish());
  }
}

TEST(Multipart, EmptyCallbacksAreAllowed) {
  multipart_parser parser{boundary, {}};
  EXPECT_TRUE(parser.feed(two_part_body()));
  EXPECT_TRUE(parser.finish());
}

TEST(Multipart, QuotedBoundaryInContentType) {
  auto b = multipart_boundary(R"(multipart/form-data; boundary="a b:c'd")");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*b, "a b:c'd");
  std::string body = "--a b:c'd\r\nContent-Disposition: form-data; "
                     "name=\"f\"\r\n\r\nv\r\n--a b:c'd--";
  recorder rec;
  ASSERT_TRUE(parse_chunked(body, 3, rec, *b));
  ASSERT_EQ(rec.parts.size(), 1u);
  EXPECT_EQ(rec.parts[0].data, "v");
}

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + boundary),
            boundary);
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;charset=utf-8;BOUNDARY=q"),
            "q");
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" +
                               std::string(70, 'b')),
            std::string(70, 'b'));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" +
                                  std::string(71, 'b')));
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary="));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=\"\""));
  EXPECT_FALSE(multipart_boundary("multipart/mixed; boundary=q"));
  EXPECT_FALSE(multipart_boundary("application/json"));
  EXPECT_FALSE(multipart_boundary(""));
}

TEST(Multipart, PreambleAndEpilogueAreIgnored) {
  std::string body = "This is the preamble.\r\n--XyZ\r\n"
                     "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
                     "1\r\n--XyZ--\r\nepilogue --XyZ\r\n garbage";
  recorder rec;
  multipart_parser parser{"XyZ", rec.callbacks()};
  ASSERT_TRUE(parser.feed(body));
  ASSERT_TRUE(parser.feed("more epilogue"));
  ASSERT_TRUE(parser.finish());
  ASSERT_EQ(rec.parts.size(), 1u);
  EXPECT_EQ(rec.parts[0].data, "1");
}

TEST(Multipart, BodyMayStartWithCrlf) {
  recorder rec;
  ASSERT_TRUE(parse_chunked("\r\n--XyZ\r\n\r\nd\r\n--XyZ--", 2, rec, "XyZ"));
  ASSERT_EQ(rec.parts.size(), 1u);
  EXPECT_EQ(rec.parts[0].data, "d");
}

TEST(Multipart, TransportPaddingAfterBoundary) {
  recorder rec;
  ASSERT_TRUE(parse_chunked("--XyZ \t \r\n\r\nd\r\n--XyZ  \r\n\r\ne\r\n--XyZ--",
                            1, rec, "XyZ"));
  ASSERT_EQ(rec.parts.size(), 2u);
  EXPECT_EQ(rec.parts[1].data, "e");
}

TEST(Multipart, PartWithoutHeadersAndEmptyData) {
  recorder rec;
  ASSERT_TRUE(parse_chunked("--XyZ\r\n\r\n\r\n--XyZ--", 1, rec, "XyZ"));
  ASSERT_EQ(rec.parts.size(), 1u);
  EXPECT_EQ(rec.parts[0].info.name, "");
  EXPECT_EQ(rec.parts[0].info.content_type, "text/plain");
  EXPECT_EQ(rec.parts[0].data, "");
  EXPECT_TRUE(rec.parts[0].ended);
  EXPECT_EQ(rec.order, (std::vector<std::string>{"begin", "end"}));
}

TEST(Multipart, EmptyForm) {
  recorder rec;
  ASSERT_TRUE(parse_chunked("--XyZ--\r\n", 1, rec, "XyZ"));
  EXPECT_TRUE(rec.parts.empty());
}

TEST(Multipart, BareLfLineEndingsAreNotBoundaries) {
  recorder rec;
  EXPECT_FALSE(parse_chunked("--XyZ\n\nd\n--XyZ--\n", 4, rec, "XyZ"));
  EXPECT_TRUE(rec.parts.empty());
}

TEST(Multipart, CrlfInsideDataIsKept) {
  recorder rec;
  ASSERT_TRUE(parse_chunked("--XyZ\r\n\r\n\r\nline1\r\n\r\nline2\r\n\r\n"
                            "\r\n--XyZ--",
                            1, rec, "XyZ"));
  EXPECT_EQ(rec.parts[0].data, "\r\nline1\r\n\r\nline2\r\n\r\n");
}

TEST(Multipart, MalformedBoundaryLine) {
  for (const char* body : {"--XyZjunk\r\n\r\nd\r\n--XyZ--",
                           "--XyZ\r\n\r\nd\r\n--XyZ-x", "--XyZ \rx"}) {
    recorder rec;
    multipart_parser parser{"XyZ", rec.callbacks()};
    EXPECT_FALSE(parser.feed(body)) << body;
    EXPECT_NE(parser.error().find("boundary"), std::string::npos);
  }
}

TEST(Multipart, MalformedHeaderLine) {
  recorder rec;
  multipart_parser parser{"XyZ", rec.callbacks()};
  EXPECT_FALSE(parser.feed("--XyZ\r\nno colon here\r\n\r\nd\r\n--XyZ--"));
  EXPECT_NE(parser.error().find("header"), std::string::npos);
  EXPECT_TRUE(rec.parts.empty());
}

TEST(Multipart, InvalidBoundaryFailsImmediately) {
  multipart_parser empty{"", {}};
  EXPECT_FALSE(empty.feed("--\r\n"));
  EXPECT_FALSE(empty.error().empty());
  multipart_parser crlf{"a\r\nb", {}};
  EXPECT_FALSE(crlf.feed("x"));
  EXPECT_FALSE(crlf.finish());
}

TEST(Multipart, DispositionDetails) {
  std::string body = "--XyZ\r\n"
                     "Content-Disposition: form-data; name=\"a\\\"b\"; "
                     "filename=\"\"\r\n"
                     "Content-Type:application/octet-stream\r\n"
                     "X-Other: ignored\r\n\r\nd\r\n--XyZ--";
  recorder rec;
  ASSERT_TRUE(parse_chunked(body, 5, rec, "XyZ"));
  ASSERT_EQ(rec.parts.size(), 1u);
  EXPECT_EQ(rec.parts[0].info.name, "a\"b");
  EXPECT_EQ(rec.parts[0].info.filename, "");
  EXPECT_EQ(rec.parts[0].info.content_type, "application/octet-stream");
}

} // namespace
} // namespace tryon::protocol
