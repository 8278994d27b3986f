#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <utility>

#include <caf/actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ai_routes.hpp"
#include "actors/frame_pipeline.hpp"
#include "actors/session_atoms.hpp"
#include "actors/session_stats.hpp"
#include "metrics/node_metrics.hpp"
#include "persistence/token_bucket.hpp"
#include "protocol/server_message.hpp"

namespace tryon::actors {

/// What every session actor shares: its collaborators and limits.
struct session_env {
  caf::actor ai_link;
  caf::actor persister;
  caf::actor capture;                       ///< capture supervisor; may be null
  metrics::node_metrics* metrics = nullptr; ///< node counters; may be null
  std::chrono::milliseconds frame_timeout{5000};
  std::size_t max_frame_size = 10485760;
  std::chrono::seconds stats_interval{10};
  protocol::stream_config stream;
  /// Captures per session (a burst, then a steady rate); nullopt: no limit.
  std::optional<persistence::bucket_limit> capture_limit;
};

/// A frame on its way to the AI service.
struct pending_frame {
  shared_bytes message;
  std::chrono::steady_clock::time_point received;
  std::chrono::steady_clock::time_point sent;
};

/// A processed frame on its way to the client.
struct pending_result {
  ai_result result;
  /// When the client frame it answers arrived (end-to-end latency).
  std::chrono::steady_clock::time_point received;
};

/// Counts its session actor in the node metrics while it exists.
struct session_actor_gauge {
  metrics::node_metrics* metrics = nullptr;
  session_actor_gauge() = default;
  session_actor_gauge(const session_actor_gauge&) = delete;
  session_actor_gauge& operator=(const session_actor_gauge&) = delete;
  /// Starts counting on `m` (may be null).
  void start(metrics::node_metrics* m) {
    metrics = m;
    if (metrics)
      metrics->session_actors(1);
  }
  ~session_actor_gauge() {
    if (metrics)
      metrics->session_actors(-1);
  }
};

/// What the node metrics have already been told about one session.
struct reported_counts {
  std::uint64_t received = 0;
  std::uint64_t rejected = 0;
  std::uint64_t processed = 0;
  std::uint64_t dropped = 0;
};

/// The session's phases:
///
///   waiting_init --init_session--> opening --ai_ready--> streaming
///        ^                            |                  (active <-> paused)
///        +------- ai_failed ----------+                      |
///   any phase --peer closed / expired / ai_down / shutdown--> (quit)
///
/// A shutdown while captures are pending first waits (bounded) for their
/// answers, so the client still gets frame_saved before close 1001.
enum class session_phase { waiting_init, opening, streaming };

/// State of one live session: owned by its actor alone.
struct session_state {
  session_info info;
  session_env env;
  session_phase phase = session_phase::waiting_init;
  bool paused = false;
  bool failed = false; ///< ended on an unrecoverable error
  peer_ptr peer;
  counters_ptr counters;
  /// The AI channel frames are written to (empty while unbound: frames then
  /// fail at once, as the AI is unreachable).
  ai_binding ai;
  /// The frame in flight is counted in ai.routes->counters.in_flight.
  bool in_flight_counted = false;
  std::uint64_t generation = 0;
  frame_pipeline<pending_frame, pending_result> pipeline;
  std::optional<pending_result> last_delivered; ///< for capture
  std::uint64_t shed_seen = 0;
  session_stats stats;
  /// Send time and client arrival of the frame in flight to the AI.
  std::chrono::steady_clock::time_point in_flight_sent, in_flight_received;
  /// A frame_tmo message is pending (one per session, see dispatch_to_ai).
  bool frame_timer_armed = false;
  /// A stats_tick message is pending (armed by frames only).
  bool stats_timer_armed = false;
  /// The stats JSON last sent to the persister (unchanged ones are skipped).
  std::string persisted_stats;
  /// Client arrival of the frame being written (set while writing).
  std::optional<std::chrono::steady_clock::time_point> writing_since;
  reported_counts reported;
  session_actor_gauge gauge;
  int captures_pending = 0; ///< sent to the capture supervisor, unanswered
  persistence::bucket_state capture_bucket; ///< env.capture_limit's tokens
  /// Frames (by sequence) being saved, and how many capture messages each
  /// answer is owed to: a repeated capture of one frame stores it once.
  std::map<std::int64_t, int> captures_owed;
  /// The last frame saved and its result id (a repeat is answered with it).
  std::optional<std::pair<std::int64_t, std::int64_t>> last_saved;
  bool closing = false; ///< shutting down once captures are answered
  static inline const char* name = "tryon-session";
};

/// The session actor's type.
using session_actor = caf::stateful_actor<session_state>;

/// Behaviour of a session actor.
caf::behavior make_session(session_actor* self, session_info info,
                           session_env env);

} // namespace tryon::actors
