#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "persistence/session_store.hpp"

namespace tryon::actors {

/// Writes of one session that failed (the database was down) and wait for
/// it to come back; only the latest status and stats matter.
struct unsaved_writes {
  std::optional<std::string> status;
  std::optional<std::string> stats; ///< JSON text
};

/// The persister's state.
struct persister_state {
  persistence::session_store* sessions = nullptr;
  /// Session id -> what is not written yet. While it is not empty every
  /// new write joins it (so a session's writes land in order) and one
  /// retry round runs every `retry_interval`.
  std::map<std::string, unsaved_writes> backlog;
  std::size_t max_backlog = 10000; ///< sessions kept; beyond, writes are lost
  std::chrono::milliseconds retry_interval{1000};
  bool retry_scheduled = false;
  std::uint64_t saved_late = 0; ///< writes saved by a retry round
  std::uint64_t lost = 0;       ///< writes dropped: backlog full or shutdown
  static inline const char* name = "tryon-persister";
};

/// A detached actor (it blocks on the database) that writes session status
/// and stats off the frame path:
///   (p_status_atom, id, status), (p_stats_atom, id, stats JSON text),
///   (count_atom) -> sessions with writes not yet saved,
///   (shutdown_atom): quits once every earlier write is done (or, with the
///                    database down, after one last attempt)
/// A write that fails is kept (bounded by `max_backlog` sessions, the
/// latest status and stats of each) and written when the database is back.
caf::behavior make_persister(caf::stateful_actor<persister_state>* self,
                             persistence::session_store* sessions,
                             std::chrono::milliseconds retry_interval,
                             std::size_t max_backlog);

} // namespace tryon::actors
