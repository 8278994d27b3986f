#include "persistence/pg_upload_store.hpp"

#include "persistence/pg_exec.hpp"

namespace tryon::persistence {

namespace {

#define TRYON_UPLOAD_COLS                                                      \
  "id, user_id, kind, media_path, url, content_type, size"

constexpr const char* k_add = "upload_add";
constexpr const char* k_add_sql =
    "insert into uploads (user_id, kind, media_path, url, content_type, size) "
    "values ($1, $2, $3, $4, $5, $6) returning " TRYON_UPLOAD_COLS;

constexpr const char* k_find_by_url = "upload_find_by_url";
constexpr const char* k_find_by_url_sql =
    "select " TRYON_UPLOAD_COLS " from uploads where user_id = $1 and url = $2 "
    "order by id desc limit 1";

std::optional<upload_record> upload_of(const pqxx::result& r) {
  if (r.empty())
    return std::nullopt;
  const auto& row = r[0];
  upload_record u;
  u.id = row[0].as<std::int64_t>();
  u.user_id = row[1].as<std::int64_t>();
  u.kind = row[2].as<std::string>();
  u.media_path = row[3].as<std::string>();
  u.url = row[4].as<std::string>();
  u.content_type = row[5].as<std::string>();
  u.size = row[6].as<std::int64_t>();
  return u;
}

} // namespace

pg_upload_store::pg_upload_store(pg_pool& pool) : pool_(pool) {
  pool_.add_statement(k_add, k_add_sql);
  pool_.add_statement(k_find_by_url, k_find_by_url_sql);
}

upload_record pg_upload_store::add_upload(const upload_record& rec) {
  return detail::transact(pool_, "add_upload", [&](pqxx::work& tx) {
    return *upload_of(tx.exec_prepared(k_add, rec.user_id, rec.kind,
                                       rec.media_path, rec.url,
                                       rec.content_type, rec.size));
  });
}

std::optional<upload_record>
pg_upload_store::find_upload_by_url(std::int64_t user_id,
                                    const std::string& url) {
  return detail::transact(pool_, "find_upload_by_url", [&](pqxx::work& tx) {
    return upload_of(tx.exec_prepared(k_find_by_url, user_id, url));
  });
}

} // namespace tryon::persistence
