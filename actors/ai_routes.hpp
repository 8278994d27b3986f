#pragma once

// The AI link's fast path (docs/PERFORMANCE.md, "What stood in the way"):
// frames and processed frames do not pass through the AI link actor. A
// session actor writes its frames straight into the channel it is bound to,
// and the channel's network thread hands each processed frame straight to
// the session actor named in its header, through this table. The link actor
// stays in charge of everything else: which channel a session uses, init and
// close, reconnects, the grace period, text replies.
//
// Written by the link actor (set/erase), read by network threads (find):
// a mutex, held for a hash lookup, is cheaper than the actor hop it saves.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/send.hpp>

#include "actors/atoms.hpp"
#include "actors/credit_gate.hpp"

namespace tryon::actors {

/// Counters of the fast path, updated from session actors and network
/// threads (the link reports them in its stats).
struct ai_fast_counters {
  std::atomic<std::uint64_t> frames_forwarded{0}; ///< frames queued to the AI
  std::atomic<std::uint64_t> unavailable{0};      ///< refused: channel down
  std::atomic<std::uint64_t> queue_drops{0};      ///< refused: queue full
  std::atomic<std::uint64_t> results{0};          ///< processed frames routed
  std::atomic<std::uint64_t> unknown_session{0};  ///< replies nobody awaits
  std::atomic<std::uint64_t> bad_messages{0}; ///< replies that failed to parse
  std::atomic<std::int64_t> in_flight{0};     ///< frames awaiting an answer
};

/// Which session actor receives the replies for a session id.
class ai_routes {
public:
  /// Routes replies for `session_id` to `session` (replaces an old route).
  void set(const std::string& session_id, caf::actor session) {
    std::lock_guard<std::mutex> lock{mu_};
    by_session_[session_id] = std::move(session);
  }

  /// Forgets the route of `session_id`.
  void erase(const std::string& session_id) {
    std::lock_guard<std::mutex> lock{mu_};
    by_session_.erase(session_id);
  }

  /// Forgets every route (the link is shutting down): breaks the cycle
  /// channel -> routes -> session actor -> binding -> channel.
  void clear() {
    std::lock_guard<std::mutex> lock{mu_};
    by_session_.clear();
  }

  /// The session actor for `session_id`; null when there is none.
  caf::actor find(const std::string& session_id) const {
    std::lock_guard<std::mutex> lock{mu_};
    auto it = by_session_.find(session_id);
    return it == by_session_.end() ? caf::actor{} : it->second;
  }

  /// The fast path's counters.
  ai_fast_counters counters;

private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, caf::actor> by_session_;
};

/// Decodes a binary reply of the AI service and sends it to its session
/// actor as (ai_result_atom, ai_result). Runs on a network thread
/// (defined in ai_channel_events.cpp, with the rest of what runs there).
void route_ai_reply(ai_routes& routes, shared_bytes message);

/// A session waiting for an AI credit; `ticket` names this one wait (a
/// session ignores the wake-up of a wait it gave up: credit_gate::cancel
/// already gave that slot to the next waiter).
struct credit_waiter {
  caf::actor session;
  std::uint64_t ticket = 0;
  friend bool operator==(const credit_waiter& a, const credit_waiter& b) {
    return a.ticket == b.ticket && a.session == b.session;
  }
};

/// The AI credits of one channel (credit_gate.hpp): its sessions take a
/// slot per frame they send, and wake a waiter with (ai_slot_atom, gate id,
/// ticket) when they give one back. Lives as long as the link's channel
/// slot, across reconnects.
struct ai_credits {
  explicit ai_credits(std::uint64_t gate_id) : id(gate_id) {}
  /// Names the gate in wake-ups.
  const std::uint64_t id;
  credit_gate<credit_waiter> gate;
};

/// Sends the wake-up of a session that got a slot (if any).
inline void wake(const ai_credits& credits, std::optional<credit_waiter> w) {
  if (w)
    caf::anon_send(w->session, ai_slot_atom::value, credits.id, w->ticket);
}

/// What a session needs to send frames itself: its channel, the shared
/// counters and the channel's credits. Sent by the link as (ai_bind_atom,
/// ai_binding) whenever the session is (re)assigned to a channel that is up
/// and its init_session is queued there.
struct ai_binding {
  std::shared_ptr<ai_channel> channel;
  std::shared_ptr<ai_routes> routes;
  std::shared_ptr<ai_credits> credits; ///< null: no limit
};

} // namespace tryon::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tryon::actors::ai_binding)
