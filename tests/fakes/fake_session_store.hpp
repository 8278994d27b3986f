#pragma once

#include <map>
#include <mutex>

#include "persistence/session_store.hpp"
#include "tests/fakes/fault_switch.hpp"

namespace tryon::fakes {

class fake_user_store;

/// In-memory session_store. Timestamps come from now_us() but strictly
/// increase, so "newest first" is deterministic.
class fake_session_store final : public persistence::session_store,
                                 public fault_switch {
public:
  /// `users` (optional) resolves session_filter::username.
  explicit fake_session_store(const fake_user_store* users = nullptr)
    : users_(users) {}

  /// See session_store.
  persistence::session_record
  create_session(const persistence::new_session& s) override;

  /// See session_store.
  std::optional<persistence::session_record>
  find_session(const std::string& id) override;

  /// See session_store; an unknown status throws store_error like the
  /// CHECK constraint.
  bool update_status(const std::string& id, const std::string& status) override;

  /// See session_store.
  bool update_stats(const std::string& id,
                    const nlohmann::json& stats) override;

  /// See session_store.
  std::vector<std::string> complete_expired(persistence::epoch_us now) override;

  /// See session_store.
  bool end_abandoned(const std::string& id,
                     persistence::epoch_us seen_updated_at) override;

  /// See session_store.
  std::map<std::string, std::int64_t> count_by_status() override;

  /// See session_store.
  std::vector<persistence::session_record>
  list_sessions(const persistence::session_filter& f) override;

private:
  persistence::epoch_us tick();

  const fake_user_store* users_;
  std::mutex mu_;
  persistence::epoch_us last_ = 0;
  std::map<std::string, persistence::session_record> sessions_;
};

} // namespace tryon::fakes
