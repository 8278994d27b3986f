#pragma once

#include <string>
#include <vector>

namespace tryon::persistence {

/// One schema change: persistence/migrations/NNNN_name.sql.
struct migration {
  int version = 0;  ///< NNNN, applied in ascending order
  std::string name; ///< the file name's tail
  std::string sql;  ///< the file's text, run in one transaction
};

/// The migrations embedded at build time, in version order.
const std::vector<migration>& builtin_migrations();

} // namespace tryon::persistence
