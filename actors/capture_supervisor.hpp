#pragma once

// The capture supervisor: saves captures off the frame path, in order, with
// a bounded queue, and drains it at shutdown.
//
//   session -> supervisor  (capture_req_atom, session_id, user_id,
//                           optional post_id, ai_result, session)
//   supervisor -> worker   (cap_job_atom, capture_request)   one at a time
//   worker -> supervisor   (id or -1, error text)            the answer
//   supervisor -> session  (capture_ok_atom, id, sequence)
//                        | (capture_fail_atom, why, sequence)
//                        | (capture_limited_atom, retry_after_ms, sequence):
//                          the user already holds their share of the queue
//   anyone -> supervisor   (count_atom) -> pending captures
//   anyone -> supervisor   (shutdown_atom): refuse new captures ("shutting
//                          down"), finish every accepted one, then quit
//
// The supervisor never blocks (it only counts and routes); the writes run on
// a linked, detached worker actor, since they block on disk and database.

#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/capture_saver.hpp"
#include "actors/session_atoms.hpp"
#include "metrics/node_metrics.hpp"

namespace tryon::actors {

using cap_job_atom = caf::atom_constant<caf::atom("cap_job")>;

/// Settings of the capture supervisor.
struct capture_config {
  /// Accepted and unfinished captures beyond which new ones get "busy".
  std::size_t max_pending = 32;
  /// Accepted and unfinished captures one user may hold (their fair share
  /// of the queue); beyond, RATE_LIMITED. 0: no per-user bound.
  std::size_t max_pending_per_user = 0;
};

/// State of the capture supervisor.
struct capture_supervisor_state {
  caf::actor worker;       ///< detached: runs capture_saver::save
  std::size_t pending = 0; ///< accepted, not yet answered
  std::size_t max_pending = 32;
  std::size_t max_pending_per_user = 0;
  /// Accepted, unanswered captures per user id (no entry: none).
  std::unordered_map<std::int64_t, std::size_t> pending_by_user;
  bool draining = false; ///< shutdown asked: quit when pending == 0
  metrics::node_metrics* metrics = nullptr;
  static inline const char* name = "tryon-capture-supervisor";
};

/// Behaviour of the capture supervisor; `saver` (and `metrics`, may be
/// null) must outlive it.
caf::behavior
make_capture_supervisor(caf::stateful_actor<capture_supervisor_state>* self,
                        capture_saver* saver, metrics::node_metrics* metrics,
                        capture_config cfg);

} // namespace tryon::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tryon::actors::capture_request)
