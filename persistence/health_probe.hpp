#pragma once

#include <string>

namespace tryon::persistence {

/// A dependency /readyz checks (PostgreSQL, Redis).
class health_probe {
public:
  virtual ~health_probe() = default;

  /// True when the dependency answers; on false, `detail` says why.
  virtual bool ping(std::string& detail) noexcept = 0;
};

} // namespace tryon::persistence
