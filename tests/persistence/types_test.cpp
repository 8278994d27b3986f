#include "persistence/types.hpp"

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "persistence/fwd.hpp"
#include "persistence/migration.hpp"
#include "persistence/random_hex.hpp"

using namespace tryon::persistence;

TEST(Iso8601Test, FormatsUtcWithMicroseconds) {
  EXPECT_EQ(iso8601(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(iso8601(1'795'469'552'123'456), "2026-11-23T21:32:32.123456Z");
  EXPECT_EQ(iso8601(-1), "1969-12-31T23:59:59.999999Z");
}

TEST(Iso8601Test, NowIsRecent) {
  auto t = now_us();
  EXPECT_GT(t, 1'700'000'000'000'000); // after 2023
  EXPECT_LE(t, now_us());
}

TEST(RandomHexTest, HasTheRequestedLengthAndVaries) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto h = random_hex(20);
    EXPECT_TRUE(std::regex_match(h, std::regex("[0-9a-f]{40}"))) << h;
    seen.insert(h);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(RandomHexTest, UuidsAreVersion4) {
  std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                "[0-9a-f]{12}");
  for (int i = 0; i < 50; ++i) {
    auto u = random_uuid();
    EXPECT_TRUE(std::regex_match(u, v4)) << u;
  }
}

TEST(BuiltinMigrationsTest, EmbedsTheSqlFiles) {
  const auto& all = builtin_migrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().version, 1);
  EXPECT_EQ(all.front().name, "initial");
  EXPECT_NE(all.front().sql.find("create table tryon_sessions"),
            std::string::npos);
  EXPECT_NE(all.front().sql.find(';'), std::string::npos);
}
