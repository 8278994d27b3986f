#pragma once

#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <nlohmann/json.hpp>

#include "metrics/node_metrics.hpp"
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

/// /api/try-on/stats/: fresh figures from the stats supervisor (blocking,
/// bounded by a timeout); null fields when it does not answer.
nlohmann::json live_stats(caf::actor_system& sys, const caf::actor& stats);

/// /metrics: asks the stats supervisor to refresh the gauges it owns
/// (bounded wait), then serialises `metrics`.
std::string metrics_text(caf::actor_system& sys, const caf::actor& stats,
                         metrics::node_metrics& metrics);

} // namespace tryon::apps
