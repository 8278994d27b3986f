#pragma once

#include <optional>
#include <vector>

#include "persistence/types.hpp"

namespace tryon::persistence {

/// Saved try-on results.
class result_store {
public:
  virtual ~result_store() = default;

  /// Inserts a result and returns it with its id and created_at.
  virtual result_record add_result(const result_record& r) = 0;

  /// The result `id` if it belongs to `user_id`.
  virtual std::optional<result_record> find_result(std::int64_t user_id,
                                                   std::int64_t id) = 0;

  /// The user's results, newest first; limit < 0 means all.
  virtual std::vector<result_record> list_results(std::int64_t user_id,
                                                  std::int64_t limit,
                                                  std::int64_t offset) = 0;

  /// Every result (all users when user_id is nullopt), newest first (CLI).
  virtual std::vector<result_record>
  list_all_results(std::optional<std::int64_t> user_id, std::int64_t limit) = 0;
};

} // namespace tryon::persistence
