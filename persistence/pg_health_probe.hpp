#pragma once

#include "persistence/health_probe.hpp"

namespace tryon::persistence {

class pg_pool;

/// Checks PostgreSQL with `SELECT 1` on a pooled connection.
class pg_health_probe final : public health_probe {
public:
  /// Probes through `pool`, which must outlive the probe.
  explicit pg_health_probe(pg_pool& pool) : pool_(pool) {}

  /// See health_probe.
  bool ping(std::string& detail) noexcept override;

private:
  pg_pool& pool_;
};

} // namespace tryon::persistence
