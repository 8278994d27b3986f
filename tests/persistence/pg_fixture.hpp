#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "persistence/pg_database.hpp"
#include "tests/persistence/test_database.hpp"

namespace tryon::pgtest {

/// Stores over this process's test database, emptied before each test.
/// Skips the test when TRYON_TEST_DATABASE_URL is unset.
class pg_fixture : public ::testing::Test {
protected:
  void SetUp() override;

  /// A user created directly, for tests that need an owner.
  persistence::user make_user(const std::string& name = "alice");

  /// A session of `user_id` expiring `ttl_us` from now.
  persistence::session_record make_session(std::int64_t user_id,
                                           std::int64_t ttl_us = 60'000'000);

  test_database* db_ = nullptr;
  std::unique_ptr<persistence::pg_database> pg_;
};

} // namespace tryon::pgtest
