#include "persistence/pg_user_store.hpp"

#include "persistence/digest.hpp"
#include "persistence/pg_exec.hpp"
#include "persistence/random_hex.hpp"

namespace tryon::persistence {

namespace {

constexpr const char* k_find_by_token = "user_find_by_token";
constexpr const char* k_find_by_token_sql =
    "select u.id, u.username, u.is_staff from api_tokens t "
    "join users u on u.id = t.user_id where t.key_digest = $1 and u.is_active";

constexpr const char* k_find_by_id = "user_find_by_id";
constexpr const char* k_find_by_id_sql =
    "select id, username, is_staff from users where id = $1";

constexpr const char* k_find_by_name = "user_find_by_name";
constexpr const char* k_find_by_name_sql =
    "select id, username, is_staff from users where username = $1";

constexpr const char* k_create = "user_create";
constexpr const char* k_create_sql =
    "insert into users (username, is_staff) values ($1, $2) "
    "returning id, username, is_staff";

constexpr const char* k_issue = "user_issue_token";
constexpr const char* k_issue_sql =
    "insert into api_tokens (key_digest, user_id) "
    "select $1, id from users where username = $2 returning user_id";

constexpr const char* k_revoke = "user_revoke_token";
constexpr const char* k_revoke_sql =
    "delete from api_tokens where key_digest = $1";

/// DRF keys: 20 random bytes as 40 lower-case hex digits.
constexpr std::size_t k_token_bytes = 20;

bool is_token_shape(const std::string& key) {
  if (key.size() != 2 * k_token_bytes)
    return false;
  for (char c : key)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  return true;
}

std::optional<user> user_of(const pqxx::result& r) {
  if (r.empty())
    return std::nullopt;
  return user{r[0][0].as<std::int64_t>(), r[0][1].as<std::string>(),
              r[0][2].as<bool>()};
}

} // namespace

pg_user_store::pg_user_store(pg_pool& pool) : pool_(pool) {
  pool_.add_statement(k_find_by_token, k_find_by_token_sql);
  pool_.add_statement(k_find_by_id, k_find_by_id_sql);
  pool_.add_statement(k_find_by_name, k_find_by_name_sql);
  pool_.add_statement(k_create, k_create_sql);
  pool_.add_statement(k_issue, k_issue_sql);
  pool_.add_statement(k_revoke, k_revoke_sql);
}

std::optional<user> pg_user_store::find_by_token(const std::string& key) {
  if (!is_token_shape(key))
    return std::nullopt;
  return detail::transact(pool_, "find_by_token", [&](pqxx::work& tx) {
    return user_of(tx.exec_prepared(k_find_by_token, sha256_hex(key)));
  });
}

std::optional<user> pg_user_store::find_by_id(std::int64_t id) {
  return detail::transact(pool_, "find_by_id", [&](pqxx::work& tx) {
    return user_of(tx.exec_prepared(k_find_by_id, id));
  });
}

std::optional<user>
pg_user_store::find_by_username(const std::string& username) {
  return detail::transact(pool_, "find_by_username", [&](pqxx::work& tx) {
    return user_of(tx.exec_prepared(k_find_by_name, username));
  });
}

user pg_user_store::create_user(const std::string& username, bool is_staff) {
  return detail::transact(pool_, "create_user", [&](pqxx::work& tx) {
    return *user_of(tx.exec_prepared(k_create, username, is_staff));
  });
}

std::optional<std::string>
pg_user_store::issue_token(const std::string& username) {
  auto key = random_hex(k_token_bytes);
  return detail::transact(
      pool_, "issue_token", [&](pqxx::work& tx) -> std::optional<std::string> {
        if (tx.exec_prepared(k_issue, sha256_hex(key), username).empty())
          return std::nullopt;
        return key;
      });
}

bool pg_user_store::revoke_token(const std::string& key) {
  if (!is_token_shape(key))
    return false;
  return detail::transact(pool_, "revoke_token", [&](pqxx::work& tx) {
    return tx.exec_prepared(k_revoke, sha256_hex(key)).affected_rows() == 1;
  });
}

} // namespace tryon::persistence
