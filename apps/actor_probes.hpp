#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <nlohmann/json.hpp>

#include "persistence/health_probe.hpp"

namespace tryon::apps {

/// /readyz's AI check: asks the AI link whether a channel is up.
class ai_link_probe : public persistence::health_probe {
public:
  /// Probes `link` (an ai_link actor).
  ai_link_probe(caf::actor_system& sys, caf::actor link)
    : sys_(sys), link_(std::move(link)) {}

  bool ping(std::string& detail) noexcept override;

private:
  caf::actor_system& sys_;
  caf::actor link_;
};

/// Live figures gathered from the actors (blocking, bounded by a timeout).
nlohmann::json live_stats(caf::actor_system& sys, const caf::actor& registry,
                          const caf::actor& ai_link);

} // namespace tryon::apps
