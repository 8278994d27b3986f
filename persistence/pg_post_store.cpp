#include "persistence/pg_post_store.hpp"

#include "persistence/pg_exec.hpp"

namespace tryon::persistence {

namespace {

constexpr const char* k_find = "post_find";
constexpr const char* k_find_sql =
    "select id, title, image_url from posts where id = $1";

constexpr const char* k_add = "post_add";
constexpr const char* k_add_sql =
    "insert into posts (image_url, title) values ($1, $2) "
    "returning id, title, image_url";

std::optional<post> post_of(const pqxx::result& r) {
  if (r.empty())
    return std::nullopt;
  return post{r[0][0].as<std::int64_t>(), r[0][1].as<std::string>(),
              r[0][2].as<std::string>()};
}

} // namespace

pg_post_store::pg_post_store(pg_pool& pool) : pool_(pool) {
  pool_.add_statement(k_find, k_find_sql);
  pool_.add_statement(k_add, k_add_sql);
}

std::optional<post> pg_post_store::find_post(std::int64_t id) {
  return detail::transact(pool_, "find_post", [&](pqxx::work& tx) {
    return post_of(tx.exec_prepared(k_find, id));
  });
}

post pg_post_store::add_post(const std::string& image_url,
                             const std::string& title) {
  return detail::transact(pool_, "add_post", [&](pqxx::work& tx) {
    return *post_of(tx.exec_prepared(k_add, image_url, title));
  });
}

} // namespace tryon::persistence
