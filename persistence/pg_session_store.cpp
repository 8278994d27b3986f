#include "persistence/pg_session_store.hpp"

#include "persistence/pg_exec.hpp"

namespace tryon::persistence {

namespace {

// The columns session_of() reads, in its order. Laid out by hand: around
// the macro calls clang-format broke the literals into 2-byte pieces.
// clang-format off
#define TRYON_SESSION_COLS                                                     \
  "s.id::text, s.user_id, s.nail_reference_post_id, s.nail_reference_url, "    \
  "s.source_image_url, s.mode, s.status, "                                     \
  TRYON_SQL_US("s.created_at") ", "                                            \
  TRYON_SQL_US("s.updated_at") ", "                                            \
  TRYON_SQL_US("s.expires_at") ", "                                            \
  "s.stats::text"

constexpr const char* k_create = "session_create";
constexpr const char* k_create_sql =
    "insert into tryon_sessions as s (user_id, nail_reference_post_id, "
    "nail_reference_url, source_image_url, mode, expires_at) "
    "values ($1, $2, $3, $4, $5, " TRYON_SQL_TS("$6") ") "
    "returning " TRYON_SESSION_COLS;
// clang-format on

constexpr const char* k_find = "session_find";
constexpr const char* k_find_sql =
    "select " TRYON_SESSION_COLS " from tryon_sessions s where s.id = $1::uuid";

constexpr const char* k_status = "session_update_status";
constexpr const char* k_status_sql =
    "update tryon_sessions set status = $2, updated_at = now() "
    "where id = $1::uuid";

constexpr const char* k_stats = "session_update_stats";
constexpr const char* k_stats_sql =
    "update tryon_sessions set stats = $2::jsonb, updated_at = now() "
    "where id = $1::uuid";

// The predicate repeats the partial index's, so the sweep can use it.
constexpr const char* k_expire = "session_complete_expired";
// clang-format off
constexpr const char* k_expire_sql =
    "update tryon_sessions set status = 'completed', updated_at = now() "
    "where expires_at < " TRYON_SQL_TS("$1") " "
    "and status not in ('completed', 'error') returning id::text";
// clang-format on

constexpr const char* k_abandon = "session_end_abandoned";
constexpr const char* k_abandon_sql =
    "update tryon_sessions set status = 'error', updated_at = now() "
    "where id = $1::uuid and status in ('active', 'paused') "
    "and updated_at <= " TRYON_SQL_TS("$2");

constexpr const char* k_count = "session_count_by_status";
constexpr const char* k_count_sql =
    "select status, count(*) from tryon_sessions group by status";

constexpr const char* k_list = "session_list";
constexpr const char* k_list_sql =
    "select " TRYON_SESSION_COLS " from tryon_sessions s "
    "join users u on u.id = s.user_id "
    "where ($1::text is null or s.status = $1) "
    "and ($2::text is null or u.username = $2) "
    "order by s.created_at desc, s.id limit $3";

session_record session_of(const pqxx::row& row) {
  session_record s;
  s.id = row[0].as<std::string>();
  s.user_id = row[1].as<std::int64_t>();
  s.nail_reference_post_id = detail::opt_i64(row[2]);
  s.nail_reference_url = row[3].as<std::string>();
  s.source_image_url = detail::opt_str(row[4]);
  s.mode = row[5].as<std::string>();
  s.status = row[6].as<std::string>();
  s.created_at = row[7].as<epoch_us>();
  s.updated_at = row[8].as<epoch_us>();
  s.expires_at = row[9].as<epoch_us>();
  s.stats = detail::json_of(row[10]);
  return s;
}

} // namespace

pg_session_store::pg_session_store(pg_pool& pool) : pool_(pool) {
  pool_.add_statement(k_create, k_create_sql);
  pool_.add_statement(k_find, k_find_sql);
  pool_.add_statement(k_status, k_status_sql);
  pool_.add_statement(k_stats, k_stats_sql);
  pool_.add_statement(k_expire, k_expire_sql);
  pool_.add_statement(k_abandon, k_abandon_sql);
  pool_.add_statement(k_count, k_count_sql);
  pool_.add_statement(k_list, k_list_sql);
}

session_record pg_session_store::create_session(const new_session& s) {
  return detail::transact(pool_, "create_session", [&](pqxx::work& tx) {
    auto r = tx.exec_prepared(k_create, s.user_id, s.nail_reference_post_id,
                              s.nail_reference_url, s.source_image_url, s.mode,
                              s.expires_at);
    return session_of(r[0]);
  });
}

std::optional<session_record>
pg_session_store::find_session(const std::string& id) {
  if (!detail::is_uuid(id))
    return std::nullopt;
  return detail::transact(pool_, "find_session",
                          [&](pqxx::work& tx) -> std::optional<session_record> {
                            auto r = tx.exec_prepared(k_find, id);
                            if (r.empty())
                              return std::nullopt;
                            return session_of(r[0]);
                          });
}

bool pg_session_store::update_status(const std::string& id,
                                     const std::string& status) {
  if (!detail::is_uuid(id))
    return false;
  return detail::transact(pool_, "update_status", [&](pqxx::work& tx) {
    return tx.exec_prepared(k_status, id, status).affected_rows() == 1;
  });
}

bool pg_session_store::update_stats(const std::string& id,
                                    const nlohmann::json& stats) {
  if (!detail::is_uuid(id))
    return false;
  return detail::transact(pool_, "update_stats", [&](pqxx::work& tx) {
    return tx.exec_prepared(k_stats, id, stats.dump()).affected_rows() == 1;
  });
}

std::vector<std::string> pg_session_store::complete_expired(epoch_us now) {
  return detail::transact(pool_, "complete_expired", [&](pqxx::work& tx) {
    std::vector<std::string> ids;
    for (const auto& row : tx.exec_prepared(k_expire, now))
      ids.push_back(row[0].as<std::string>());
    return ids;
  });
}

bool pg_session_store::end_abandoned(const std::string& id,
                                     epoch_us seen_updated_at) {
  if (!detail::is_uuid(id))
    return false;
  return detail::transact(pool_, "end_abandoned", [&](pqxx::work& tx) {
    return tx.exec_prepared(k_abandon, id, seen_updated_at).affected_rows() ==
           1;
  });
}

std::map<std::string, std::int64_t> pg_session_store::count_by_status() {
  return detail::transact(pool_, "count_by_status", [&](pqxx::work& tx) {
    std::map<std::string, std::int64_t> out;
    for (const auto& row : tx.exec_prepared(k_count))
      out[row[0].as<std::string>()] = row[1].as<std::int64_t>();
    return out;
  });
}

std::vector<session_record>
pg_session_store::list_sessions(const session_filter& f) {
  std::optional<std::int64_t> limit;
  if (f.limit >= 0)
    limit = f.limit;
  return detail::transact(pool_, "list_sessions", [&](pqxx::work& tx) {
    std::vector<session_record> out;
    for (const auto& row :
         tx.exec_prepared(k_list, f.status, f.username, limit))
      out.push_back(session_of(row));
    return out;
  });
}

} // namespace tryon::persistence
