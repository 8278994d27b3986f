#pragma once

#include "persistence/upload_store.hpp"

namespace tryon::persistence {

class pg_pool;

/// upload_store over PostgreSQL (table uploads).
class pg_upload_store final : public upload_store {
public:
  /// Registers its statements with `pool`, which must outlive the store.
  explicit pg_upload_store(pg_pool& pool);

  /// See upload_store; a media_path already recorded is a conflict.
  upload_record add_upload(const upload_record& rec) override;

  /// See upload_store; the newest one if the URL was recorded twice.
  std::optional<upload_record>
  find_upload_by_url(std::int64_t user_id, const std::string& url) override;

private:
  pg_pool& pool_;
};

} // namespace tryon::persistence
