#include "actors/expiry_sweeper.hpp"

#include <spdlog/spdlog.h>

#include "persistence/types.hpp"

namespace tryon::actors {

caf::behavior make_expiry_sweeper(caf::event_based_actor* self,
                                  persistence::session_store* sessions,
                                  std::chrono::milliseconds interval,
                                  metrics::node_metrics* metrics) {
  self->send(self, sweep_atom::value);
  return {
      [=](sweep_atom) {
        try {
          auto ids = sessions->complete_expired(persistence::now_us());
          if (!ids.empty())
            spdlog::info("expiry sweep: {} session(s) completed", ids.size());
          if (metrics)
            metrics->sessions_expired(ids.size());
        } catch (const std::exception& e) {
          // The next sweep retries; nothing is lost by waiting.
          spdlog::warn("expiry sweep failed: {}", e.what());
        }
        self->delayed_send(self, interval, sweep_atom::value);
      },
      [=](shutdown_atom) { self->quit(); },
  };
}

} // namespace tryon::actors
