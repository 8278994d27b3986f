#pragma once

// State of the AI link actor: a pool of channels to the AI service and the
// sessions multiplexed over them. Only the link actor touches it; the
// channels report through messages (see make_ai_link).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/ai_routes.hpp"
#include "actors/atoms.hpp"
#include "actors/ports.hpp"

namespace tryon::actors {

/// Settings of the AI link.
struct ai_link_config {
  /// ws://host:port/path of the AI service.
  std::string url;
  /// Channels (WebSocket connections) in the pool.
  int connections = 2;
  /// How long no channel may be up before sessions are told.
  std::chrono::milliseconds grace_period{5000};
  /// First reconnect delay after a loss; doubles per failed attempt.
  std::chrono::milliseconds backoff_min{100};
  /// Longest reconnect delay.
  std::chrono::milliseconds backoff_max{5000};
  /// How long the AI may take to answer an init_session of a session that
  /// is not ready yet; then the session gets INIT_FAILED (recoverable: the
  /// phone may send init_session again) and the AI a close_session.
  std::chrono::milliseconds init_timeout{5000};
  /// Honour the AI service's `capacity` messages (AI credits,
  /// TRYON_AI_CREDITS): at most that many frames in flight per channel,
  /// across sessions. Off: every session keeps one frame in flight.
  bool credits = true;
  /// Maps a session's nail reference URL to the one the AI service can
  /// fetch (TRYON_INTERNAL_MEDIA_URL); empty: handed on unchanged.
  std::function<std::string(const std::string&)> reference_for_ai;
};

/// One session the link carries.
struct ai_link_session {
  /// The session actor (replies go here).
  caf::actor peer;
  /// Nail design URL for init_session.
  std::string nail_url;
  /// Post id for init_session, -1 when none.
  std::optional<std::int64_t> post_id;
  /// Index of the channel the session is assigned to.
  std::size_t channel = 0;
  /// ai_ready was delivered (never sent twice).
  bool ready = false;
  /// ai_down was delivered (never sent twice).
  bool down_sent = false;
  /// The session holds a binding to its channel (ai_bind sent, no ai_lost
  /// since).
  bool bound = false;
  /// Names the init_session last sent; its timeout carries it.
  std::uint64_t init_token = 0;
  /// The channel refused that init_session (its control lane was full).
  bool init_refused = false;
};

/// One channel of the pool.
struct ai_channel_slot {
  /// The transport connection.
  std::shared_ptr<ai_channel> channel;
  /// The WebSocket is open.
  bool up = false;
  /// Delay before the next reconnect attempt.
  std::chrono::milliseconds backoff{0};
  /// Sessions assigned to this channel.
  std::size_t sessions = 0;
  /// The channel's AI credits; the capacity last advertised is kept across
  /// reconnects (the same service, most likely) until it says otherwise.
  std::shared_ptr<ai_credits> credits;
};

/// Counters of the link actor itself, reported by get_stats with those of
/// the fast path (ai_fast_counters).
struct ai_link_counters {
  std::uint64_t frame_errors = 0;     ///< frame_error replies routed back
  std::uint64_t text_drops = 0;       ///< text messages refused: queue full
  std::uint64_t sessions_lost = 0;    ///< bound sessions told ai_lost
  std::uint64_t reconnects = 0;       ///< reconnect attempts
  std::uint64_t channel_losses = 0;   ///< open channels that went down
  std::uint64_t unknown_session = 0;  ///< AI text replies, unknown sessions
  std::uint64_t bad_messages = 0;     ///< AI text messages that failed to parse
  std::uint64_t sessions_failed = 0;  ///< ai_failed sent
  std::uint64_t sessions_downed = 0;  ///< ai_down sent
  std::uint64_t init_timeouts = 0;    ///< init_session unanswered in time
  std::uint64_t init_refused = 0;     ///< init_session refused: control full
  std::uint64_t capacity_updates = 0; ///< capacity messages honoured
};

/// The AI link actor's state.
struct ai_link_state {
  /// Actor name for logs.
  static inline const char* name = "ai_link";

  ~ai_link_state();

  // -- lifecycle (ai_link_channels.cpp) ---------------------------------------

  /// Creates the channels and starts connecting them.
  void start(caf::event_based_actor* owner, ai_link_config config,
             ai_channel_factory factory);
  /// Shuts every channel down for good (idempotent).
  void shutdown();
  /// Channel `i` finished its handshake.
  void on_chan_open(std::size_t i);
  /// Channel `i` lost its connection or failed to connect.
  void on_chan_down(std::size_t i, const std::string& reason);
  /// The backoff for channel `i` elapsed.
  void on_reconnect(std::size_t i);
  /// The grace timer of outage `epoch` fired.
  void on_grace(std::uint64_t epoch);
  /// Whether at least one channel is up.
  bool any_up() const;

  // -- sessions (ai_link_sessions.cpp) ----------------------------------------

  /// A session asks for an AI session.
  void open_session(const std::string& id, std::string nail_url,
                    std::optional<std::int64_t> post_id, caf::actor peer);
  /// A session is done with its AI session.
  void close_session(const std::string& id);
  /// A session moved to another node: forgotten here, the AI not told.
  void forget_session(const std::string& id);
  /// A monitored session actor terminated.
  void on_peer_down(const caf::actor_addr& peer);
  /// The timeout of init_session `token` of session `id` fired.
  void on_init_timeout(const std::string& id, std::uint64_t token);

  // -- AI replies (ai_link_replies.cpp) ---------------------------------------

  /// A text message arrived on channel `i`.
  void on_chan_text(std::size_t i, const std::string& text);
  /// Channel `i`'s AI service takes `frames` frames at once (0: no limit).
  void on_capacity(std::size_t i, std::size_t frames);
  /// The counters as JSON.
  std::string stats_json() const;

  // -- data -------------------------------------------------------------------

  /// The link actor owning this state.
  caf::event_based_actor* self = nullptr;
  /// Settings given at spawn.
  ai_link_config cfg;
  /// The pool; a channel's index is its id in chan_* messages.
  std::vector<ai_channel_slot> channels;
  /// Sessions by session id.
  std::unordered_map<std::string, ai_link_session> sessions;
  /// What get_stats reports (with routes->counters).
  ai_link_counters counters;
  /// Reply routes and fast-path counters, shared with the channels' network
  /// threads and the bound sessions.
  std::shared_ptr<ai_routes> routes = std::make_shared<ai_routes>();
  /// Bumped whenever the up-count enters or leaves zero (cancels timers).
  std::uint64_t outage_epoch = 0;
  /// No channel has been up for longer than the grace period.
  bool outage_declared = false;
  /// shutdown() ran: the channels are gone.
  bool stopped = false;
  /// The last init token handed out.
  std::uint64_t last_init_token = 0;

private:
  /// A text reply about one session (session_initialized, error,
  /// frame_error), passed on to its session actor.
  template <class Event>
  void on_session_event(Event& ev);
  std::size_t pick_channel() const;
  void assign(const std::string& id, ai_link_session& s, std::size_t channel);
  void send_init(const std::string& id, ai_link_session& s);
  void move_orphans();
  void unbind(ai_link_session& s);
  void start_outage();
  void erase_session(const std::string& id, bool tell_ai);
};

} // namespace tryon::actors
