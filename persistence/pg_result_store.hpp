#pragma once

#include "persistence/result_store.hpp"

namespace tryon::persistence {

class pg_pool;

/// result_store over PostgreSQL (table tryon_results).
class pg_result_store final : public result_store {
public:
  /// Registers its statements with `pool`, which must outlive the store.
  explicit pg_result_store(pg_pool& pool);

  /// See result_store; an unknown session or user is a store_error.
  result_record add_result(const result_record& r) override;

  /// See result_store.
  std::optional<result_record> find_result(std::int64_t user_id,
                                           std::int64_t id) override;

  /// See result_store.
  std::vector<result_record> list_results(std::int64_t user_id,
                                          std::int64_t limit,
                                          std::int64_t offset) override;

  /// See result_store; a negative limit means all.
  std::vector<result_record>
  list_all_results(std::optional<std::int64_t> user_id,
                   std::int64_t limit) override;

private:
  pg_pool& pool_;
};

} // namespace tryon::persistence
