#pragma once

#include <map>
#include <mutex>

#include "persistence/post_store.hpp"
#include "tests/fakes/fault_switch.hpp"

namespace tryon::fakes {

/// In-memory post_store.
class fake_post_store final : public persistence::post_store,
                              public fault_switch {
public:
  /// See post_store.
  std::optional<persistence::post> find_post(std::int64_t id) override;

  /// See post_store.
  persistence::post add_post(const std::string& image_url,
                             const std::string& title) override;

private:
  std::mutex mu_;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, persistence::post> posts_;
};

} // namespace tryon::fakes
