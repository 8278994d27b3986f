#include "protocol/json_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace tryon::protocol {
namespace {

using nlohmann::json;

std::string nested_arrays(std::size_t depth) {
  return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') +
         "}";
}

TEST(JsonText, ParsesObjectsOnly) {
  EXPECT_TRUE(parse_json_object(R"({"a":1})").has_value());
  EXPECT_FALSE(parse_json_object("[]").has_value());
  EXPECT_FALSE(parse_json_object("1").has_value());
  EXPECT_FALSE(parse_json_object("").has_value());
  EXPECT_FALSE(parse_json_object("{").has_value());
  EXPECT_FALSE(parse_json_object("{} {}").has_value());
}

TEST(JsonText, NestingIsLimited) {
  EXPECT_TRUE(parse_json_object(nested_arrays(max_json_depth)).has_value());
  EXPECT_FALSE(
      parse_json_object(nested_arrays(max_json_depth + 1)).has_value());
  EXPECT_FALSE(parse_json_object(nested_arrays(100000)).has_value());
}

TEST(JsonText, BracketsInsideStringsDoNotCount) {
  std::string text = R"({"a":")" + std::string(1000, '[') + R"(\"[[["})";
  auto parsed = parse_json_object(text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ((*parsed)["a"].get<std::string>().size(), 1004u);
}

TEST(JsonText, DumpReplacesInvalidUtf8) {
  json value{{"k", std::string("a\xFF", 2)}};
  EXPECT_EQ(dump_json(value), "{\"k\":\"a\xEF\xBF\xBD\"}");
  nlohmann::ordered_json ordered{{"z", 1}, {"a", 2}};
  EXPECT_EQ(dump_json(ordered), R"({"z":1,"a":2})");
}

TEST(JsonText, AsInt64AcceptsIntegersThatFit) {
  EXPECT_EQ(as_int64(json(5)), 5);
  EXPECT_EQ(as_int64(json(-5)), -5);
  EXPECT_EQ(as_int64(json::parse("9223372036854775807")),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_FALSE(as_int64(json::parse("9223372036854775808")).has_value());
  EXPECT_FALSE(as_int64(json(1.0)).has_value());
  EXPECT_FALSE(as_int64(json("1")).has_value());
  EXPECT_FALSE(as_int64(json(true)).has_value());
  EXPECT_FALSE(as_int64(json()).has_value());
}

TEST(JsonText, AsDoubleAcceptsAnyNumber) {
  EXPECT_EQ(as_double(json(2)), 2.0);
  EXPECT_EQ(as_double(json(2.5)), 2.5);
  EXPECT_FALSE(as_double(json("2.5")).has_value());
}

TEST(JsonText, MemberAccessTreatsNullAsAbsent) {
  auto obj = json::parse(R"({"s":"x","n":null,"i":3})");
  ASSERT_NE(find_string(obj, "s"), nullptr);
  EXPECT_EQ(*find_string(obj, "s"), "x");
  EXPECT_EQ(find_string(obj, "i"), nullptr);
  EXPECT_EQ(find_member(obj, "n"), nullptr);
  EXPECT_EQ(find_member(obj, "missing"), nullptr);
  EXPECT_EQ(find_member(json::array(), "s"), nullptr);
  EXPECT_EQ(find_int64(obj, "i"), 3);
  EXPECT_FALSE(find_int64(obj, "s").has_value());
}

TEST(JsonText, OptionalReadersReportOnlyWrongTypes) {
  auto obj = json::parse(R"({"s":"x","d":1.5,"n":null})");
  std::string s = "default";
  EXPECT_TRUE(read_optional_string(obj, "missing", s));
  EXPECT_TRUE(read_optional_string(obj, "n", s));
  EXPECT_EQ(s, "default");
  EXPECT_TRUE(read_optional_string(obj, "s", s));
  EXPECT_EQ(s, "x");
  EXPECT_FALSE(read_optional_string(obj, "d", s));
  double d = -1;
  EXPECT_TRUE(read_optional_double(obj, "missing", d));
  EXPECT_EQ(d, -1);
  EXPECT_TRUE(read_optional_double(obj, "d", d));
  EXPECT_EQ(d, 1.5);
  EXPECT_FALSE(read_optional_double(obj, "s", d));
}

} // namespace
} // namespace tryon::protocol
