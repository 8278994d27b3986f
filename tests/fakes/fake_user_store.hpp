#pragma once

#include <map>
#include <mutex>

#include "persistence/user_store.hpp"
#include "tests/fakes/fault_switch.hpp"

namespace tryon::fakes {

/// In-memory user_store.
class fake_user_store final : public persistence::user_store,
                              public fault_switch {
public:
  /// See user_store.
  std::optional<persistence::user>
  find_by_token(const std::string& token_key) override;

  /// See user_store.
  std::optional<persistence::user> find_by_id(std::int64_t id) override;

  /// See user_store.
  persistence::user create_user(const std::string& username,
                                bool is_staff) override;

  /// See user_store.
  std::optional<std::string> issue_token(const std::string& username) override;

  /// See user_store.
  bool revoke_token(const std::string& token_key) override;

  /// A user by name (what the SQL join does for session filters).
  std::optional<persistence::user>
  find_by_username(const std::string& name) const;

  /// Test shortcut: creates a user and returns a token for it.
  std::string add_user_with_token(const std::string& username,
                                  bool is_staff = false);

  /// Deactivates a user: its tokens stop working, as Django's is_active.
  void deactivate(std::int64_t id);

private:
  mutable std::mutex mu_;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, persistence::user> users_;
  std::map<std::int64_t, bool> active_;
  std::map<std::string, std::int64_t> tokens_;
};

} // namespace tryon::fakes
