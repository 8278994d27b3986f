#pragma once

#include <mutex>
#include <vector>

#include "persistence/result_store.hpp"
#include "tests/fakes/fault_switch.hpp"

namespace tryon::fakes {

/// In-memory result_store; created_at strictly increases per insert.
class fake_result_store final : public persistence::result_store,
                                public fault_switch {
public:
  /// See result_store.
  persistence::result_record
  add_result(const persistence::result_record& r) override;

  /// See result_store.
  std::optional<persistence::result_record>
  find_result(std::int64_t user_id, std::int64_t id) override;

  /// See result_store.
  std::vector<persistence::result_record>
  list_results(std::int64_t user_id, std::int64_t limit,
               std::int64_t offset) override;

  /// See result_store.
  std::vector<persistence::result_record>
  list_all_results(std::optional<std::int64_t> user_id,
                   std::int64_t limit) override;

private:
  std::vector<persistence::result_record>
  newest_first(std::optional<std::int64_t> user_id, std::int64_t limit,
               std::int64_t offset);

  std::mutex mu_;
  std::int64_t next_id_ = 1;
  persistence::epoch_us last_ = 0;
  std::vector<persistence::result_record> results_; ///< oldest first
};

} // namespace tryon::fakes
