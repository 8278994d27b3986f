#include "bench/harness/rest_client.hpp"

#include "protocol/multipart.hpp"

#include <gtest/gtest.h>

using namespace tryon;

TEST(RestClient, MultipartBodyParsesBack) {
  auto [type, body] = bench::multipart_body(
      {{"type", "nail_reference"}}, "file", "d.jpg", "image/jpeg",
      std::string("\xff\xd8\xff\xe0 jpeg\r\n--bytes", 17));
  auto boundary = protocol::multipart_boundary(type);
  ASSERT_TRUE(boundary);
  std::vector<std::pair<std::string, std::string>> parts;
  protocol::multipart_parser parser(
      *boundary, {[&](const protocol::multipart_part_info& info) {
                    parts.push_back({info.name, {}});
                    return true;
                  },
                  [&](std::string_view data) {
                    parts.back().second.append(data);
                    return true;
                  },
                  [] { return true; }});
  ASSERT_TRUE(parser.feed(body)) << parser.error();
  ASSERT_TRUE(parser.finish()) << parser.error();
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0],
            std::make_pair(std::string("type"), std::string("nail_reference")));
  EXPECT_EQ(parts[1].first, "file");
  EXPECT_EQ(parts[1].second.size(), 17u);
}

TEST(RestClient, JsonStringMember) {
  EXPECT_EQ(bench::json_string_member(R"({"session_id":"abc"})", "session_id"),
            "abc");
  EXPECT_FALSE(bench::json_string_member(R"({"session_id":5})", "session_id"));
  EXPECT_FALSE(bench::json_string_member("nope", "session_id"));
}
