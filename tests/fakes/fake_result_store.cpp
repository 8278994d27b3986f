#include "tests/fakes/fake_result_store.hpp"

#include <algorithm>

namespace tryon::fakes {

using persistence::result_record;

result_record fake_result_store::add_result(const result_record& r) {
  check("add_result");
  std::lock_guard<std::mutex> guard{mu_};
  auto& out = results_.emplace_back(r);
  out.id = next_id_++;
  last_ = std::max(persistence::now_us(), last_ + 1);
  out.created_at = last_;
  return out;
}

std::optional<result_record>
fake_result_store::find_result(std::int64_t user_id, std::int64_t id) {
  check("find_result");
  std::lock_guard<std::mutex> guard{mu_};
  for (const auto& r : results_)
    if (r.id == id && r.user_id == user_id)
      return r;
  return std::nullopt;
}

std::vector<result_record>
fake_result_store::list_results(std::int64_t user_id, std::int64_t limit,
                                std::int64_t offset) {
  check("list_results");
  return newest_first(user_id, limit, offset);
}

std::vector<result_record>
fake_result_store::list_all_results(std::optional<std::int64_t> user_id,
                                    std::int64_t limit) {
  check("list_all_results");
  return newest_first(user_id, limit, 0);
}

std::vector<result_record>
fake_result_store::newest_first(std::optional<std::int64_t> user_id,
                                std::int64_t limit, std::int64_t offset) {
  std::lock_guard<std::mutex> guard{mu_};
  std::vector<result_record> out;
  std::int64_t skipped = 0;
  for (auto r = results_.rbegin(); r != results_.rend(); ++r) {
    if (user_id && r->user_id != *user_id)
      continue;
    if (skipped++ < offset)
      continue;
    if (limit >= 0 && static_cast<std::int64_t>(out.size()) >= limit)
      break;
    out.push_back(*r);
  }
  return out;
}

} // namespace tryon::fakes
