#pragma once

#include "tests/fakes/fake_health_probe.hpp"
#include "tests/fakes/fake_post_store.hpp"
#include "tests/fakes/fake_result_store.hpp"
#include "tests/fakes/fake_session_store.hpp"
#include "tests/fakes/fake_upload_store.hpp"
#include "tests/fakes/fake_user_store.hpp"

namespace tryon::fakes {

/// Every fake store, wired like persistence::pg_database.
struct fake_database {
  fake_user_store users;               ///< users and tokens
  fake_post_store posts;               ///< posts
  fake_upload_store uploads;           ///< upload records
  fake_session_store sessions{&users}; ///< sessions (filters by username)
  fake_result_store results;           ///< results
  fake_health_probe health;            ///< always up unless set()

  /// Makes every store fail (or recover) at once.
  void set_failing(bool on) {
    users.set_failing(on);
    posts.set_failing(on);
    uploads.set_failing(on);
    sessions.set_failing(on);
    results.set_failing(on);
  }
};

} // namespace tryon::fakes
