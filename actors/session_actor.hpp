#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <utility>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ai_routes.hpp"
#include "actors/frame_pipeline.hpp"
#include "actors/session_atoms.hpp"
#include "actors/session_stats.hpp"
#include "actors/stream_hinter.hpp"
#include "metrics/node_metrics.hpp"
#include "persistence/token_bucket.hpp"
#include "protocol/client_frame.hpp"
#include "protocol/client_message.hpp"
#include "protocol/error_code.hpp"
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

/// How a session ends (session_state::finish).
enum class session_end {
  completed,  ///< the client left or the session expired: status completed
  failed,     ///< the AI service became unavailable: status error
  handed_off, ///< node shutdown: figures written, status kept, AI session
              ///< forgotten (the node that takes the client over reuses it)
  moved,      ///< another node holds the lease: nothing written (its actor
              ///< owns the row and the AI session now)
};

/// State of one live session, owned by its actor alone. The session is in
/// one of five phases, each a named behavior the actor switches between
/// with `become` (session_phases.cpp):
///
///   waiting_init --init_session--> opening --ai_ready--> active <-> paused
///        ^                            |                    (control)
///        +-------- ai_failed ---------+                        |
///   active/paused --shutdown with captures unanswered--> closing
///   any phase --peer closed / expired / ai_down / shutdown--> (quit)
///
/// Handlers every phase shares (the AI's answers, timers, captures' answers,
/// endings) are composed into each phase's behavior (`common()`). The data
/// below is what outlives a phase; the phase itself lives only in which
/// behavior is current.
struct session_state {
  /// Set by CAF (stateful_actor constructs its state with its own address).
  explicit session_state(caf::event_based_actor* self) : self_(self) {}

  /// Starts the session (expiry timer, metrics) and returns its first
  /// behavior, waiting_init.
  caf::behavior start(session_info info, session_env env);

  session_info info;
  session_env env;
  peer_ptr peer;
  counters_ptr counters;
  /// The generation of the attached client; messages of older ones are
  /// ignored.
  std::uint64_t generation = 0;
  /// The AI channel frames are written to (empty while unbound: frames then
  /// fail at once, as the AI is unreachable).
  ai_binding ai;
  /// The frame in flight is counted in ai.routes->counters.in_flight.
  bool in_flight_counted = false;
  /// Where the session stands with its channel's AI credits (ai.credits;
  /// none while the channel has no limit).
  enum class credit { none, waiting, held };
  credit credit_state = credit::none;
  /// Names the current wait for a credit (credit_waiter::ticket).
  std::uint64_t credit_ticket = 0;
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
  /// Stream hints, for a client that asked for them in init_session.
  std::optional<stream_hinter> hinter;
  static inline const char* name = "tryon-session";

private:
  using clock = std::chrono::steady_clock;
  using dispatch = frame_pipeline<pending_frame, pending_result>::dispatch;

  // -- phases (session_phases.cpp) ------------------------------------------
  caf::behavior waiting_init();
  caf::behavior opening();
  caf::behavior active();
  caf::behavior paused();
  caf::behavior closing();
  /// What active and paused share: re-init, control, capture.
  template <class OnFrame>
  caf::behavior streaming(OnFrame on_frame);
  /// The client's messages of the current generation, parsed: `on_frame`
  /// gets each frame (the newest of a burst too), `on_message` each text
  /// message but ping (answered here).
  template <class OnFrame, class OnMessage>
  caf::message_handler client(OnFrame on_frame, OnMessage on_message);
  /// Handlers every phase but closing shares. `holds_ai` : the phase has
  /// an AI session open (or opening) that an ending must close.
  caf::message_handler common(bool holds_ai);
  /// The AI's answers and the endings, shared by closing too.
  caf::message_handler ai_and_endings(bool holds_ai);

  // -- client messages (session_client.cpp) ---------------------------------
  void on_frames(std::string& message,
                 const std::function<void(std::string&)>& on_frame);
  /// Frames the transport shed count as received, accepted and dropped.
  void fold_in_shed();
  /// A frame before the session is ready: rejected with NOT_INITIALIZED.
  void reject_frame();
  /// Parses the frame's header; counts and answers a bad one (nullopt).
  std::optional<protocol::client_frame_header>
  accept_frame(const std::string& message);
  /// An accepted frame, header rewritten for the AI, into the pipeline.
  void forward_frame(std::string& message,
                     const protocol::client_frame_header& h);
  void not_initialized(const char* before);
  void send_session_ready();
  /// init_session: starts the stream hints if the client asked for them.
  void take_capabilities(const protocol::init_session_msg& m);
  /// Sends a stream hint if the hinter's window closed with a change.
  void maybe_hint();
  void send_hint(const stream_hinter::hint& h);

  // -- the AI side (session_frames.cpp) -------------------------------------
  /// Sends the waiting frame to the AI if nothing is in flight and the
  /// session has (or gets) a credit; otherwise it waits, replaceable, for
  /// the credit's wake-up (on_credit).
  void pump();
  /// Writes `d` into the AI channel the session is bound to; a frame the
  /// channel refuses (unbound, queue full) fails at once. False: refused.
  bool dispatch_to_ai(dispatch d);
  /// The frame in flight got its answer, failed or was lost: takes it off
  /// the link's in-flight gauge and gives its credit back.
  void settle_in_flight();
  /// A credit for the next frame: true if held now, false if waiting.
  bool take_credit();
  /// Gives a held credit back (to the oldest waiter of the channel).
  void give_back_credit();
  /// Leaves the channel's credits: a held one is given back, a wait is
  /// cancelled (before a rebind or the end).
  void leave_credits();
  /// The wake-up of wait `ticket` at gate `gate_id`: the credit is ours.
  void on_credit(std::uint64_t gate_id, std::uint64_t ticket);
  /// The frame `seq` in flight failed: the next waiting one goes out.
  void fail_in_flight(std::int64_t seq);
  /// A processed frame from the AI link: measured, queued for the client,
  /// and the next waiting frame sent.
  void on_result(ai_result& r);
  void on_frame_timeout();
  /// Writes the next processed frame to the client if its writer is idle;
  /// otherwise asks the transport for on_frame_written (ports.hpp).
  void deliver();
  /// If the transport finished writing the last delivery: records its
  /// end-to-end latency and frees the pipeline's writer.
  void sync_writer();

  // -- captures (session_captures.cpp) --------------------------------------
  void capture();
  /// How many capture messages the answer for frame `seq` is owed to.
  int take_owed(std::int64_t seq);
  void capture_saved(std::int64_t try_on_id, std::int64_t seq);
  void capture_failed(const std::string& message, std::int64_t seq);
  void capture_limited(std::int64_t retry_ms, std::int64_t seq);
  /// One capture fewer pending.
  void capture_answered();

  // -- reports and the end (session_reports.cpp) ----------------------------
  /// Sends an `error` message to the client and counts it.
  void send_error(protocol::error_code code, const std::string& message);
  /// RATE_LIMITED: "<what>: try again in N second(s)".
  void send_rate_limited(const std::string& what, double retry_after_s);
  /// Asks the persister to write the session's status.
  void persist_status(const char* status);
  /// Asks the persister to write the stats JSON; `final` counts frames still
  /// in the pipeline as dropped (they will never be delivered).
  void persist_stats(bool final = false);
  /// Tells the node metrics what changed since the last call.
  void publish_counts();
  /// Accepted frames neither delivered nor dropped yet.
  std::uint64_t undelivered() const;
  /// Ends the session as `how` says (closing or forgetting its AI session
  /// if it `holds_ai`), closes the client with `close_code` (if any), quits.
  void finish(session_end how, std::optional<std::uint16_t> close_code,
              bool holds_ai);
  /// Node shutdown: the session is handed off (1012) once no capture is
  /// pending.
  void hand_off_when_answered(bool holds_ai);

  caf::event_based_actor* self_;
};

/// The session actor's type.
using session_actor = caf::stateful_actor<session_state>;

/// Behaviour of a session actor.
caf::behavior make_session(session_actor* self, session_info info,
                           session_env env);

} // namespace tryon::actors
