#pragma once

// The stats supervisor: owns the node's periodic figures. Every interval it
// gathers this node's figures (node_metrics, registry, AI link, actor
// count), publishes them to the shared node_stats_store (Redis: one key per
// node with a TTL), and copies database figures (sessions by status) into
// the metrics gauges. Blocking (database, Redis): spawn it detached.
//
//   self -> self        (stats_tick_atom)   periodic collect + publish
//   anyone -> stats     (get_stats_atom) -> std::string
//                       fresh figures as JSON, with "sessions_by_status"
//                       and "per_node" (every live node, this one included)
//   anyone -> stats     (refresh_atom) -> bool   refresh gauges (/metrics)
//   anyone -> stats     (shutdown_atom)  withdraw this node's figures, quit

#include <chrono>
#include <string>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <nlohmann/json.hpp>

#include "actors/session_atoms.hpp"
#include "metrics/node_metrics.hpp"
#include "persistence/node_stats_store.hpp"
#include "persistence/session_store.hpp"

namespace tryon::actors {

using refresh_atom = caf::atom_constant<caf::atom("refresh")>;

/// Where the stats supervisor gathers from and publishes to.
struct stats_config {
  std::string node_id;                       ///< this node's key
  std::chrono::milliseconds interval{10000}; ///< publish period
  caf::actor registry;                       ///< answers count_atom
  caf::actor ai_link;                        ///< answers get_stats_atom
  persistence::session_store* sessions = nullptr;
  persistence::node_stats_store* nodes = nullptr; ///< null: single node
  metrics::node_metrics* metrics = nullptr;       ///< required
};

/// State of the stats supervisor.
struct stats_supervisor_state {
  stats_config cfg;
  bool nodes_failing = false; ///< last publish failed (log once)
  static inline const char* name = "tryon-stats-supervisor";
};

/// Behaviour of the stats supervisor.
caf::behavior
make_stats_supervisor(caf::stateful_actor<stats_supervisor_state>* self,
                      stats_config cfg);

} // namespace tryon::actors
