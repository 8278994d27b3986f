#pragma once

#include <vector>

#include "persistence/migration.hpp"

namespace tryon::persistence {

class pg_pool;

/// Brings the schema up to date: each pending migration runs in its own
/// transaction together with its schema_migrations row, under an advisory
/// lock so nodes starting together don't race. A failing migration leaves the
/// schema as it was and throws store_error. Returns how many were applied
/// (0 when already up to date).
int apply_migrations(pg_pool& pool,
                     const std::vector<migration>& all = builtin_migrations());

} // namespace tryon::persistence
