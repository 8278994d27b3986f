#include "actors/persister.hpp"

#include <spdlog/spdlog.h>

#include "actors/session_atoms.hpp"
#include "persistence/store_error.hpp"

namespace tryon::actors {

caf::behavior make_persister(caf::event_based_actor* self,
                             persistence::session_store* sessions) {
  return {
      // Writes arrive in order: everything sent before this is done.
      [=](shutdown_atom) { self->quit(); },
      [=](p_status_atom, const std::string& id, const std::string& status) {
        try {
          sessions->update_status(id, status);
        } catch (const std::exception& e) {
          spdlog::warn("session {}: status {} not saved: {}", id, status,
                       e.what());
        }
      },
      [=](p_stats_atom, const std::string& id, const std::string& stats) {
        try {
          sessions->update_stats(id, nlohmann::json::parse(stats));
        } catch (const std::exception& e) {
          spdlog::warn("session {}: stats not saved: {}", id, e.what());
        }
      },
  };
}

} // namespace tryon::actors
