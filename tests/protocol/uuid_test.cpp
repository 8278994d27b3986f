#include "protocol/uuid.hpp"

#include <gtest/gtest.h>

namespace tryon::protocol {
namespace {

TEST(Uuid, AcceptsCanonicalForms) {
  EXPECT_TRUE(is_canonical_uuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_TRUE(is_canonical_uuid("123E4567-E89B-12D3-A456-426614174000"));
  EXPECT_TRUE(is_canonical_uuid("00000000-0000-0000-0000-000000000000"));
  EXPECT_TRUE(is_canonical_uuid("ffffffff-FFFF-ffff-FFFF-ffffffffffff"));
}

TEST(Uuid, RejectsWrongLength) {
  EXPECT_FALSE(is_canonical_uuid(""));
  EXPECT_FALSE(is_canonical_uuid("123e4567-e89b-12d3-a456-42661417400"));
  EXPECT_FALSE(is_canonical_uuid("123e4567-e89b-12d3-a456-4266141740000"));
  EXPECT_FALSE(is_canonical_uuid("123e4567e89b12d3a456426614174000"));
  EXPECT_FALSE(is_canonical_uuid("{123e4567-e89b-12d3-a456-426614174000}"));
}

TEST(Uuid, RejectsMisplacedDashes) {
  EXPECT_FALSE(is_canonical_uuid("123e456-7e89b-12d3-a456-426614174000"));
  EXPECT_FALSE(is_canonical_uuid("123e4567-e89b-12d3-a4564-26614174000"));
  EXPECT_FALSE(is_canonical_uuid("123e4567ae89b-12d3-a456-426614174000"));
}

TEST(Uuid, RejectsNonHexDigits) {
  EXPECT_FALSE(is_canonical_uuid("123e4567-e89b-12d3-a456-42661417400g"));
  EXPECT_FALSE(is_canonical_uuid("123e4567-e89b-12d3-a456-42661417400 "));
  EXPECT_FALSE(is_canonical_uuid("../../../../../../../../../etc/pass"));
  EXPECT_FALSE(is_canonical_uuid(std::string_view("123e4567-e89b-12d3-a456-"
                                                  "42661417400\0",
                                                  36)));
}

} // namespace
} // namespace tryon::protocol
