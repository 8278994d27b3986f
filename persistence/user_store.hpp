#pragma once

#include <optional>
#include <string>

#include "persistence/types.hpp"

namespace tryon::persistence {

/// Users and their API tokens (DRF TokenAuthentication's `authtoken_token`).
class user_store {
public:
  virtual ~user_store() = default;

  /// The active user owning `token_key`, if any.
  virtual std::optional<user> find_by_token(const std::string& token_key) = 0;

  /// A user by id.
  virtual std::optional<user> find_by_id(std::int64_t id) = 0;

  /// Creates a user; throws store_error{conflict=true} if the name is taken.
  virtual user create_user(const std::string& username, bool is_staff) = 0;

  /// Issues a new random token for `username`; nullopt if no such user.
  virtual std::optional<std::string>
  issue_token(const std::string& username) = 0;

  /// Deletes a token; false if it did not exist.
  virtual bool revoke_token(const std::string& token_key) = 0;
};

} // namespace tryon::persistence
