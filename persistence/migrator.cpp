#include "persistence/migrator.hpp"

#include "persistence/pg_exec.hpp"

namespace tryon::persistence {

namespace {

// Any constant shared by every node of this service: "tryon" in ASCII.
constexpr const char* k_lock = "select pg_advisory_xact_lock(7631478639)";

constexpr const char* k_create_table = R"sql(
create table if not exists schema_migrations (
  version int primary key,
  name text not null,
  applied_at timestamptz not null default now()
))sql";

constexpr const char* k_is_applied =
    "select 1 from schema_migrations where version = $1";

constexpr const char* k_no_timeout = "set local statement_timeout = 0";

constexpr const char* k_record =
    "insert into schema_migrations (version, name) values ($1, $2)";

} // namespace

int apply_migrations(pg_pool& pool, const std::vector<migration>& all) {
  // Migrations may take longer than the pool's statement_timeout (and a
  // second node waits on the lock as long as the first one migrates).
  detail::transact(pool, "create schema_migrations", [](pqxx::work& tx) {
    tx.exec(k_no_timeout);
    tx.exec(k_lock);
    tx.exec(k_create_table);
  });
  int applied = 0;
  for (const auto& m : all) {
    auto what = "migration " + std::to_string(m.version) + "_" + m.name;
    // The lock is held until this transaction ends, so a second node waits
    // here and then sees the row this one wrote.
    bool ran = detail::transact(pool, what.c_str(), [&m](pqxx::work& tx) {
      tx.exec(k_no_timeout);
      tx.exec(k_lock);
      if (!tx.exec_params(k_is_applied, m.version).empty())
        return false;
      tx.exec(m.sql);
      tx.exec_params(k_record, m.version, m.name);
      return true;
    });
    applied += ran ? 1 : 0;
  }
  return applied;
}

} // namespace tryon::persistence
