#pragma once

#include <mutex>
#include <vector>

#include "persistence/upload_store.hpp"
#include "tests/fakes/fault_switch.hpp"

namespace tryon::fakes {

/// In-memory upload_store; a media_path recorded twice is a conflict.
class fake_upload_store final : public persistence::upload_store,
                                public fault_switch {
public:
  /// See upload_store.
  persistence::upload_record
  add_upload(const persistence::upload_record& rec) override;

  /// See upload_store.
  std::optional<persistence::upload_record>
  find_upload_by_url(std::int64_t user_id, const std::string& url) override;

  /// Everything recorded so far, oldest first.
  std::vector<persistence::upload_record> all() const;

private:
  mutable std::mutex mu_;
  std::int64_t next_id_ = 1;
  std::vector<persistence::upload_record> uploads_;
};

} // namespace tryon::fakes
