#include "persistence/migrator.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "persistence/pg_pool.hpp"
#include "persistence/store_error.hpp"
#include "real_parts.hpp"
#include "tests/persistence/test_database.hpp"

using namespace tryon::persistence;
using tryon::pgtest::test_database;

namespace {

class MigratorTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto admin = test_database::admin_url();
    TRYON_REQUIRE_REAL_PART(!admin.empty(),
                            "PostgreSQL (TRYON_TEST_DATABASE_URL is not set)");
    db_ = std::make_unique<test_database>(admin); // empty, unmigrated
    pool_ = std::make_unique<pg_pool>(db_->url(), 1);
  }

  bool table_exists(const std::string& name) {
    return !db_->exec("select to_regclass('" + name + "')")[0][0].is_null();
  }

  std::unique_ptr<test_database> db_;
  std::unique_ptr<pg_pool> pool_;
};

} // namespace

TEST_F(MigratorTest, AppliesEverythingOnceThenNothing) {
  auto n = static_cast<int>(builtin_migrations().size());
  EXPECT_EQ(apply_migrations(*pool_), n);
  EXPECT_EQ(apply_migrations(*pool_), 0);
  auto rows = db_->exec("select version, name from schema_migrations");
  ASSERT_EQ(static_cast<int>(rows.size()), n);
  EXPECT_EQ(rows[0][0].as<int>(), 1);
  EXPECT_EQ(rows[0][1].as<std::string>(), "initial");
  for (auto t : {"users", "api_tokens", "posts", "uploads", "tryon_sessions",
                 "tryon_results"})
    EXPECT_TRUE(table_exists(t)) << t;
}

TEST_F(MigratorTest, BuiltinMigrationsAreNumberedInOrder) {
  const auto& all = builtin_migrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(all[i].version, static_cast<int>(i) + 1);
}

TEST_F(MigratorTest, FailingMigrationLeavesSchemaAsItWas) {
  auto broken = builtin_migrations();
  broken.push_back({1000, "broken",
                    "create table half_done (x int);\n"
                    "select no_such_function();"});
  EXPECT_THROW(apply_migrations(*pool_, broken), store_error);
  EXPECT_FALSE(table_exists("half_done"));
  EXPECT_TRUE(table_exists("users")); // the good ones before it committed
  auto max = db_->exec("select max(version) from schema_migrations");
  EXPECT_EQ(max[0][0].as<int>(), builtin_migrations().back().version);
  // Fixing the list and rerunning is a no-op for what already ran.
  EXPECT_EQ(apply_migrations(*pool_), 0);
}

TEST_F(MigratorTest, NodesStartingTogetherApplyEachMigrationOnce) {
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < 3; ++i)
    nodes.emplace_back([&] {
      try {
        pg_pool own{db_->url(), 1};
        applied += apply_migrations(own);
      } catch (const store_error&) {
        ++failures;
      }
    });
  for (auto& t : nodes)
    t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(applied, static_cast<int>(builtin_migrations().size()));
}

TEST_F(MigratorTest, SchemaHasTheIndexesTheQueriesNeed) {
  apply_migrations(*pool_);
  auto rows = db_->exec("select indexname, indexdef from pg_indexes "
                        "where schemaname = 'public'");
  std::map<std::string, std::string> defs;
  for (const auto& r : rows)
    defs[r[0].as<std::string>()] = r[1].as<std::string>();
  for (auto name :
       {"api_tokens_user_id_idx", "uploads_user_id_url_idx",
        "uploads_media_path_key", "users_username_key",
        "tryon_sessions_user_created_idx", "tryon_sessions_status_idx",
        "tryon_sessions_open_expires_idx", "tryon_results_user_created_idx",
        "tryon_results_session_idx"})
    EXPECT_EQ(defs.count(name), 1u) << name;
  EXPECT_NE(defs["tryon_sessions_open_expires_idx"].find("WHERE"),
            std::string::npos);
  EXPECT_NE(defs["tryon_sessions_user_created_idx"].find("DESC"),
            std::string::npos);
}
