#pragma once

#include <cstddef>
#include <string>

#include "persistence/pg_health_probe.hpp"
#include "persistence/pg_pool.hpp"
#include "persistence/pg_post_store.hpp"
#include "persistence/pg_result_store.hpp"
#include "persistence/pg_session_store.hpp"
#include "persistence/pg_upload_store.hpp"
#include "persistence/pg_user_store.hpp"

namespace tryon::persistence {

/// Every PostgreSQL store over one pool: what a main wires up.
/// Constructing it does not connect; the first call (or migrate()) does.
///
///   pg_database db{cfg.database_url, 4};
///   db.migrate();
///   make_sessions(db.sessions, db.results, ...);
struct pg_database {
  /// A pool of `pool_size` connections to `url` (with `timeouts`) and the
  /// stores over it.
  explicit pg_database(std::string url, std::size_t pool_size = 4,
                       pg_timeouts timeouts = {});

  /// Applies pending migrations; returns how many ran.
  int migrate();

  pg_pool pool;              ///< shared by every store below
  pg_user_store users;       ///< users and tokens
  pg_post_store posts;       ///< nail-design posts
  pg_upload_store uploads;   ///< upload records
  pg_session_store sessions; ///< try-on sessions
  pg_result_store results;   ///< saved results
  pg_health_probe health;    ///< SELECT 1 for /readyz
};

} // namespace tryon::persistence
