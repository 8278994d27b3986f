#include "persistence/pg_result_store.hpp"

#include <algorithm>

#include "persistence/pg_exec.hpp"

namespace tryon::persistence {

namespace {

#define TRYON_RESULT_COLS                                                      \
  "id, session_id::text, user_id, nail_reference_post_id, processed_image, "   \
  "thumbnail, " TRYON_SQL_US("created_at") ", confidence_score, "              \
                                           "metadata::text"

constexpr const char* k_add = "result_add";
constexpr const char* k_add_sql =
    "insert into tryon_results (session_id, user_id, nail_reference_post_id, "
    "processed_image, thumbnail, confidence_score, metadata) "
    "values ($1::uuid, $2, $3, $4, $5, $6, $7::jsonb) "
    "returning " TRYON_RESULT_COLS;

constexpr const char* k_find = "result_find";
constexpr const char* k_find_sql =
    "select " TRYON_RESULT_COLS " from tryon_results "
    "where id = $2 and user_id = $1";

// Newest first; the id breaks ties between rows of one transaction.
constexpr const char* k_list = "result_list";
constexpr const char* k_list_sql =
    "select " TRYON_RESULT_COLS " from tryon_results "
    "where ($1::bigint is null or user_id = $1) "
    "order by created_at desc, id desc limit $2 offset $3";

result_record result_of(const pqxx::row& row) {
  result_record r;
  r.id = row[0].as<std::int64_t>();
  r.session_id = row[1].as<std::string>();
  r.user_id = row[2].as<std::int64_t>();
  r.nail_reference_post_id = detail::opt_i64(row[3]);
  r.processed_image = row[4].as<std::string>();
  r.thumbnail = detail::opt_str(row[5]);
  r.created_at = row[6].as<epoch_us>();
  r.confidence_score = detail::opt_f64(row[7]);
  r.metadata = detail::json_of(row[8]);
  return r;
}

std::vector<result_record> list(pg_pool& pool,
                                std::optional<std::int64_t> user_id,
                                std::int64_t limit, std::int64_t offset) {
  std::optional<std::int64_t> lim;
  if (limit >= 0)
    lim = limit; // LIMIT NULL: no limit
  offset = std::max<std::int64_t>(offset, 0);
  return detail::transact(pool, "list_results", [&](pqxx::work& tx) {
    std::vector<result_record> out;
    for (const auto& row : tx.exec_prepared(k_list, user_id, lim, offset))
      out.push_back(result_of(row));
    return out;
  });
}

} // namespace

pg_result_store::pg_result_store(pg_pool& pool) : pool_(pool) {
  pool_.add_statement(k_add, k_add_sql);
  pool_.add_statement(k_find, k_find_sql);
  pool_.add_statement(k_list, k_list_sql);
}

result_record pg_result_store::add_result(const result_record& r) {
  if (!detail::is_uuid(r.session_id))
    throw store_error("add_result: session id is not a UUID");
  return detail::transact(pool_, "add_result", [&](pqxx::work& tx) {
    auto rows = tx.exec_prepared(
        k_add, r.session_id, r.user_id, r.nail_reference_post_id,
        r.processed_image, r.thumbnail, r.confidence_score, r.metadata.dump());
    return result_of(rows[0]);
  });
}

std::optional<result_record> pg_result_store::find_result(std::int64_t user_id,
                                                          std::int64_t id) {
  return detail::transact(pool_, "find_result",
                          [&](pqxx::work& tx) -> std::optional<result_record> {
                            auto rows = tx.exec_prepared(k_find, user_id, id);
                            if (rows.empty())
                              return std::nullopt;
                            return result_of(rows[0]);
                          });
}

std::vector<result_record> pg_result_store::list_results(std::int64_t user_id,
                                                         std::int64_t limit,
                                                         std::int64_t offset) {
  return list(pool_, user_id, limit, offset);
}

std::vector<result_record>
pg_result_store::list_all_results(std::optional<std::int64_t> user_id,
                                  std::int64_t limit) {
  return list(pool_, user_id, limit, 0);
}

} // namespace tryon::persistence
