#pragma once

#include "persistence/session_store.hpp"

namespace tryon::persistence {

class pg_pool;

/// session_store over PostgreSQL (table tryon_sessions). Ids that are not
/// UUIDs are treated as unknown sessions, not as errors.
class pg_session_store final : public session_store {
public:
  /// Registers its statements with `pool`, which must outlive the store.
  explicit pg_session_store(pg_pool& pool);

  /// See session_store.
  session_record create_session(const new_session& s) override;

  /// See session_store.
  std::optional<session_record> find_session(const std::string& id) override;

  /// See session_store; an unknown status is a store_error.
  bool update_status(const std::string& id, const std::string& status) override;

  /// See session_store.
  bool update_stats(const std::string& id,
                    const nlohmann::json& stats) override;

  /// See session_store.
  std::vector<std::string> complete_expired(epoch_us now) override;
  bool end_abandoned(const std::string& id, epoch_us seen_updated_at) override;

  /// See session_store.
  std::map<std::string, std::int64_t> count_by_status() override;

  /// See session_store; a negative limit means all.
  std::vector<session_record> list_sessions(const session_filter& f) override;

private:
  pg_pool& pool_;
};

} // namespace tryon::persistence
