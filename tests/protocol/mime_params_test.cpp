#include "protocol/mime_params.hpp"

#include <gtest/gtest.h>

namespace tryon::protocol {
namespace {

TEST(MimeParams, MainValueIsTrimmedAndLowerCased) {
  EXPECT_EQ(mime_main_value(" Multipart/Form-Data ; boundary=x"),
            "multipart/form-data");
  EXPECT_EQ(mime_main_value("image/JPEG"), "image/jpeg");
  EXPECT_EQ(mime_main_value(""), "");
}

TEST(MimeParams, TokenAndQuotedValues) {
  std::string_view h = R"(form-data; name="file"; filename=a.jpg)";
  EXPECT_EQ(mime_param(h, "name"), "file");
  EXPECT_EQ(mime_param(h, "filename"), "a.jpg");
  EXPECT_EQ(mime_param(h, "missing"), std::nullopt);
}

TEST(MimeParams, NamesAreCaseInsensitive) {
  EXPECT_EQ(mime_param("x; NAME=v", "name"), "v");
  EXPECT_EQ(mime_param("x; Boundary=\"q\"", "boundary"), "q");
}

TEST(MimeParams, QuotedValuesMayHoldSeparators) {
  std::string_view h = R"(form-data; name="a;b=c"; filename="x \"y\".png")";
  EXPECT_EQ(mime_param(h, "name"), "a;b=c");
  EXPECT_EQ(mime_param(h, "filename"), R"(x "y".png)");
}

TEST(MimeParams, SpacingAndOddParameters) {
  EXPECT_EQ(mime_param("t ;  a = 1 ;b=2", "a"), "1");
  EXPECT_EQ(mime_param("t ;  a = 1 ;b=2", "b"), "2");
  EXPECT_EQ(mime_param("t; flag; a=1", "a"), "1");
  EXPECT_EQ(mime_param("t; a=", "a"), "");
  EXPECT_EQ(mime_param("t; a=\"unterminated", "a"), "unterminated");
  EXPECT_EQ(mime_param("t; a", "a"), std::nullopt);
  EXPECT_EQ(mime_param("a=1", "a"), std::nullopt);
  EXPECT_EQ(mime_param("t; name=a; filename=b", "name"), "a");
}

TEST(MimeParams, Helpers) {
  EXPECT_EQ(trim_space(" \t a b \t"), "a b");
  EXPECT_EQ(trim_space("   "), "");
  EXPECT_TRUE(iequals("Content-Type", "content-type"));
  EXPECT_FALSE(iequals("Content-Type", "content-typ"));
}

} // namespace
} // namespace tryon::protocol
