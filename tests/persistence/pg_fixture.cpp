#include "tests/persistence/pg_fixture.hpp"
#include "real_parts.hpp"

namespace tryon::pgtest {

void pg_fixture::SetUp() {
  db_ = test_database::shared();
  TRYON_REQUIRE_REAL_PART(db_ != nullptr,
                          "PostgreSQL (TRYON_TEST_DATABASE_URL is not set)");
  pg_ = std::make_unique<persistence::pg_database>(db_->url(), 2);
  pg_->migrate();
  db_->exec("truncate users, api_tokens, posts, uploads, tryon_sessions, "
            "tryon_results restart identity cascade");
}

persistence::user pg_fixture::make_user(const std::string& name) {
  return pg_->users.create_user(name, false);
}

persistence::session_record pg_fixture::make_session(std::int64_t user_id,
                                                     std::int64_t ttl_us) {
  persistence::new_session s;
  s.user_id = user_id;
  s.nail_reference_url = "http://media.test/design.png";
  s.mode = "explore";
  s.expires_at = persistence::now_us() + ttl_us;
  return pg_->sessions.create_session(s);
}

} // namespace tryon::pgtest
