#include "persistence/pg_admin.hpp"

#include "persistence/migration.hpp"
#include "persistence/pg_exec.hpp"

namespace tryon::persistence {

namespace {

// A negative limit lists everything ("limit null" in PostgreSQL).
constexpr const char* k_list_users_sql =
    "select u.id, u.username, u.is_staff, u.is_active, " TRYON_SQL_US(
        "u.date_joined") ", "
                         "(select count(*) from api_tokens t where t.user_id "
                         "= u.id) "
                         "from users u order by u.id "
                         "limit case when $1::bigint < 0 then null else "
                         "$1::bigint end";

constexpr const char* k_delete_user_sql =
    "delete from users where username = $1";

constexpr const char* k_list_tokens_sql =
    "select left(t.key_digest, 12), u.username, " TRYON_SQL_US(
        "t.created") " from api_tokens t join users u on u.id = t.user_id "
                     "where $1::text is null or u.username = $1 "
                     "order by t.created desc "
                     "limit case when $2::bigint < 0 then null else "
                     "$2::bigint end";

// Only digests are stored (migration 0002): tokens are named by a prefix
// of theirs, lower-case hex, matched literally.
constexpr const char* k_match_tokens_sql =
    "select key_digest from api_tokens "
    "where left(key_digest, length($1)) = $1";

constexpr const char* k_delete_token_sql =
    "delete from api_tokens where key_digest = $1";

constexpr const char* k_list_posts_sql =
    "select id, title, image_url, " TRYON_SQL_US(
        "created_at") " from posts order by id desc "
                      "limit case when $1::bigint < 0 then null else "
                      "$1::bigint end";

constexpr const char* k_delete_post_sql = "delete from posts where id = $1";

constexpr const char* k_end_session_sql =
    "update tryon_sessions set status = 'completed', updated_at = now() "
    "where id = $1::uuid and status not in ('completed', 'error')";

constexpr const char* k_applied_sql = "select version from schema_migrations";

constexpr const char* k_has_table_sql =
    "select to_regclass('schema_migrations') is not null";

} // namespace

pg_admin::pg_admin(pg_pool& pool) : pool_(pool) {}

std::vector<user_row> pg_admin::list_users(std::int64_t limit) {
  return detail::transact(pool_, "list_users", [&](pqxx::work& tx) {
    std::vector<user_row> out;
    for (const auto& r : tx.exec_params(k_list_users_sql, limit))
      out.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>(),
                     r[2].as<bool>(), r[3].as<bool>(), r[4].as<epoch_us>(),
                     r[5].as<std::int64_t>()});
    return out;
  });
}

bool pg_admin::delete_user(const std::string& username) {
  return detail::transact(pool_, "delete_user", [&](pqxx::work& tx) {
    return tx.exec_params(k_delete_user_sql, username).affected_rows() > 0;
  });
}

std::vector<token_row>
pg_admin::list_tokens(const std::optional<std::string>& user,
                      std::int64_t limit) {
  return detail::transact(pool_, "list_tokens", [&](pqxx::work& tx) {
    std::vector<token_row> out;
    for (const auto& r : tx.exec_params(k_list_tokens_sql, user, limit))
      out.push_back({r[0].as<std::string>(), r[1].as<std::string>(),
                     r[2].as<epoch_us>()});
    return out;
  });
}

std::int64_t pg_admin::delete_token(const std::string& prefix) {
  return detail::transact(pool_, "delete_token", [&](pqxx::work& tx) {
    auto keys = tx.exec_params(k_match_tokens_sql, prefix);
    if (keys.size() == 1)
      tx.exec_params(k_delete_token_sql, keys[0][0].as<std::string>());
    return static_cast<std::int64_t>(keys.size());
  });
}

std::vector<post_row> pg_admin::list_posts(std::int64_t limit) {
  return detail::transact(pool_, "list_posts", [&](pqxx::work& tx) {
    std::vector<post_row> out;
    for (const auto& r : tx.exec_params(k_list_posts_sql, limit))
      out.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>(),
                     r[2].as<std::string>(), r[3].as<epoch_us>()});
    return out;
  });
}

bool pg_admin::delete_post(std::int64_t id) {
  return detail::transact(pool_, "delete_post", [&](pqxx::work& tx) {
    return tx.exec_params(k_delete_post_sql, id).affected_rows() > 0;
  });
}

bool pg_admin::end_session(const std::string& id) {
  return detail::transact(pool_, "end_session", [&](pqxx::work& tx) {
    return tx.exec_params(k_end_session_sql, id).affected_rows() > 0;
  });
}

int pg_admin::pending_migrations() {
  return detail::transact(pool_, "pending_migrations", [&](pqxx::work& tx) {
    const auto& all = builtin_migrations();
    if (!tx.exec(k_has_table_sql)[0][0].as<bool>())
      return static_cast<int>(all.size());
    int pending = 0;
    auto applied = tx.exec(k_applied_sql);
    for (const auto& m : all) {
      bool found = false;
      for (const auto& r : applied)
        found = found || r[0].as<int>() == m.version;
      pending += found ? 0 : 1;
    }
    return pending;
  });
}

} // namespace tryon::persistence
