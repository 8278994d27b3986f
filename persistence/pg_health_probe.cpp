#include "persistence/pg_health_probe.hpp"

#include "persistence/pg_exec.hpp"

namespace tryon::persistence {

bool pg_health_probe::ping(std::string& detail) noexcept {
  try {
    auto one = persistence::detail::transact(pool_, "ping", [](pqxx::work& tx) {
      return tx.exec("select 1")[0][0].as<int>();
    });
    if (one == 1)
      return true;
    detail = "postgresql: unexpected answer";
  } catch (const std::exception& e) {
    detail = std::string("postgresql: ") + e.what();
  }
  return false;
}

} // namespace tryon::persistence
