#pragma once

#include "protocol/multipart.hpp"

#include "tests/protocol/sample_images.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

// Shared fixtures for the multipart parser tests.

namespace tryon::protocol::test {

/// A Chrome-style boundary.
inline const std::string boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

/// One part as seen through the callbacks.
struct recorded_part {
  multipart_part_info info;
  std::string data;
  bool ended = false;
};

/// Records every callback; optionally refuses at one of them.
struct recorder {
  std::vector<recorded_part> parts;
  std::vector<std::string> order;
  bool refuse_begin = false;
  bool refuse_data = false;
  bool refuse_end = false;

  multipart_parser::callbacks callbacks() {
    return {[this](const multipart_part_info& info) {
              order.emplace_back("begin");
              parts.push_back({info, {}, false});
              return !refuse_begin;
            },
            [this](std::string_view data) {
              order.emplace_back("data");
              EXPECT_FALSE(parts.empty());
              EXPECT_FALSE(data.empty());
              if (!parts.empty())
                parts.back().data += data;
              return !refuse_data;
            },
            [this]() {
              order.emplace_back("end");
              if (!parts.empty())
                parts.back().ended = true;
              return !refuse_end;
            }};
  }
};

/// Binary file content with NULs and near-misses of the delimiter.
inline std::string file_content() {
  using namespace std::string_literals;
  return jpeg_bytes + "\r\n--" + boundary.substr(0, 10) + "\r\r\n-\0\r"s +
         "--" + boundary + "\n\r\n" + boundary + "\xFF\xD9"s;
}

/// A text field "type" followed by a JPEG file field "file".
inline std::string two_part_body() {
  return "--" + boundary + "\r\n" +
         "Content-Disposition: form-data; name=\"type\"\r\n\r\n" +
         "nail_reference\r\n" + "--" + boundary + "\r\n" +
         "content-disposition: form-data; name=\"file\"; "
         "filename=\"nails.jpg\"\r\n" +
         "CONTENT-TYPE: image/jpeg\r\n\r\n" + file_content() + "\r\n--" +
         boundary + "--\r\n";
}

/// Checks that `rec` saw exactly the parts of two_part_body().
inline void expect_two_parts(const recorder& rec) {
  ASSERT_EQ(rec.parts.size(), 2u);
  EXPECT_EQ(rec.parts[0].info.name, "type");
  EXPECT_FALSE(rec.parts[0].info.filename.has_value());
  EXPECT_EQ(rec.parts[0].info.content_type, "text/plain");
  EXPECT_EQ(rec.parts[0].data, "nail_reference");
  EXPECT_TRUE(rec.parts[0].ended);
  EXPECT_EQ(rec.parts[1].info.name, "file");
  EXPECT_EQ(rec.parts[1].info.filename, "nails.jpg");
  EXPECT_EQ(rec.parts[1].info.content_type, "image/jpeg");
  EXPECT_EQ(rec.parts[1].data, file_content());
  EXPECT_TRUE(rec.parts[1].ended);
}

/// Feeds `body` in pieces of `chunk` bytes and finishes.
inline bool parse_chunked(const std::string& body, std::size_t chunk,
                          recorder& rec, const std::string& b = boundary) {
  multipart_parser parser{b, rec.callbacks()};
  for (std::size_t i = 0; i < body.size(); i += chunk)
    if (!parser.feed(std::string_view(body).substr(i, chunk)))
      return false;
  return parser.finish();
}

} // namespace tryon::protocol::test
