#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "persistence/pg_pool.hpp"
#include "persistence/types.hpp"

namespace tryon::persistence {

/// A user as the operator CLI lists it.
struct user_row {
  std::int64_t id = 0;
  std::string username;
  bool is_staff = false;
  bool is_active = true;
  epoch_us date_joined = 0;
  std::int64_t tokens = 0;
};

/// A token as the operator CLI lists it. Only the SHA-256 digest of a key
/// is stored, so a token is named by the start of its digest.
struct token_row {
  std::string digest_prefix; ///< the first 12 hex digits of the digest
  std::string username;
  epoch_us created = 0;
};

/// A post as the operator CLI lists it.
struct post_row {
  std::int64_t id = 0;
  std::string title;
  std::string image_url;
  epoch_us created_at = 0;
};

/// Operator-only queries over the schema (tryonctl): listings and deletes
/// the server itself never needs, so they stay out of its store
/// interfaces. Throws store_error like the stores.
class pg_admin {
public:
  explicit pg_admin(pg_pool& pool);

  std::vector<user_row> list_users(std::int64_t limit);
  /// Deletes a user with their tokens, uploads, sessions and results
  /// (ON DELETE CASCADE); false if there is no such user.
  bool delete_user(const std::string& username);

  std::vector<token_row> list_tokens(const std::optional<std::string>& user,
                                     std::int64_t limit);
  /// Deletes the one token whose digest starts with `prefix`: the number of
  /// keys that matched (only 1 deletes).
  std::int64_t delete_token(const std::string& prefix);

  std::vector<post_row> list_posts(std::int64_t limit);
  /// Deletes a post (sessions and results keep their rows, the post id
  /// becomes null); false if there is no such post.
  bool delete_post(std::int64_t id);

  /// Marks a live session `completed`; false if it does not exist or had
  /// already ended.
  bool end_session(const std::string& id);

  /// How many built-in migrations have not been applied (all of them when
  /// the schema does not exist yet).
  int pending_migrations();

private:
  pg_pool& pool_;
};

} // namespace tryon::persistence
