#include "persistence/pg_database.hpp"

#include "persistence/migrator.hpp"

namespace tryon::persistence {

pg_database::pg_database(std::string url, std::size_t pool_size,
                         pg_timeouts timeouts)
  : pool(std::move(url), pool_size, std::chrono::seconds(5), timeouts),
    users(pool), posts(pool), uploads(pool), sessions(pool), results(pool),
    health(pool) {}

int pg_database::migrate() {
  return apply_migrations(pool);
}

} // namespace tryon::persistence
