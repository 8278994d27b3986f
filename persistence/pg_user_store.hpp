#pragma once

#include "persistence/user_store.hpp"

namespace tryon::persistence {

class pg_pool;

/// user_store over PostgreSQL (tables users, api_tokens). Tokens are
/// stored as their SHA-256 digests: the clear key exists only in the
/// issue_token answer and in the clients' requests.
class pg_user_store final : public user_store {
public:
  /// Registers its statements with `pool`, which must outlive the store.
  explicit pg_user_store(pg_pool& pool);

  /// See user_store. Keys that are not 40 hex digits never match.
  std::optional<user> find_by_token(const std::string& token_key) override;

  /// See user_store.
  std::optional<user> find_by_id(std::int64_t id) override;

  /// See user_store.
  user create_user(const std::string& username, bool is_staff) override;

  /// See user_store. A user may hold several tokens; each stays valid
  /// until revoked.
  std::optional<std::string> issue_token(const std::string& username) override;

  /// See user_store.
  bool revoke_token(const std::string& token_key) override;

  /// A user by name, active or not (operator CLI; not part of user_store).
  std::optional<user> find_by_username(const std::string& username);

private:
  pg_pool& pool_;
};

} // namespace tryon::persistence
