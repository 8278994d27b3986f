#pragma once

#include "persistence/post_store.hpp"

namespace tryon::persistence {

class pg_pool;

/// post_store over PostgreSQL (table posts).
class pg_post_store final : public post_store {
public:
  /// Registers its statements with `pool`, which must outlive the store.
  explicit pg_post_store(pg_pool& pool);

  /// See post_store.
  std::optional<post> find_post(std::int64_t id) override;

  /// See post_store.
  post add_post(const std::string& image_url,
                const std::string& title) override;

private:
  pg_pool& pool_;
};

} // namespace tryon::persistence
