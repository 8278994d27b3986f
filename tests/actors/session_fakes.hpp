#pragma once

// The session actor's collaborators as plain CAF behaviours that record
// what they get (the AI link, the persister, the capture supervisor), and
// an AI channel the session writes frames into from its own thread.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/ai_routes.hpp"
#include "actors/session_atoms.hpp"
#include "tests/actors/waitable_log.hpp"

namespace tryon::testing {

/// Unix epoch microseconds `ahead` from now (session_info::expires_at_us).
inline std::int64_t epoch_us_in(std::chrono::seconds ahead) {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             (std::chrono::system_clock::now() + ahead).time_since_epoch())
      .count();
}

// -- AI side
// -------------------------------------------------------------------

/// An ai_channel that records the frames sessions write into it (from actor
/// threads); `refuse` simulates a full queue.
class recording_ai_channel : public actors::ai_channel {
public:
  void connect() override {}
  bool send_text(std::string text) override {
    texts.push(std::move(text));
    return true;
  }
  bool send_binary(std::shared_ptr<const std::string> message) override {
    if (refuse)
      return false;
    frames.push(std::move(message));
    return true;
  }
  void shutdown() override {}

  /// The sequences of the frames written so far, in order.
  std::vector<std::int64_t> sequences() const;

  /// Waits until `n` frames were written; false on timeout.
  bool wait_frames(std::size_t n) { return frames.wait_size(n); }

  waitable_log<actors::shared_bytes> frames;
  waitable_log<std::string> texts;
  std::atomic<bool> refuse{false};
};

/// How the fake link answers the next ai_open.
enum class open_reply {
  ready,       ///< ai_bind, then ai_ready
  init_failed, ///< ai_failed INIT_FAILED
  unavailable, ///< ai_failed AI_SERVICE_UNAVAILABLE
  bind_only,   ///< ai_bind, no answer yet
};

/// What the fake AI link shares with the test.
struct fake_link_script {
  std::shared_ptr<recording_ai_channel> channel =
      std::make_shared<recording_ai_channel>();
  std::shared_ptr<actors::ai_routes> routes =
      std::make_shared<actors::ai_routes>();
  /// The channel's AI credits, bound with it; null: no limit (the AI
  /// service did not say).
  std::shared_ptr<actors::ai_credits> credits;
  /// Answers to the next opens, in order; `ready` once empty.
  void plan(open_reply r) {
    std::lock_guard<std::mutex> lock{mu};
    replies.push_back(r);
  }
  open_reply next() {
    std::lock_guard<std::mutex> lock{mu};
    if (replies.empty())
      return open_reply::ready;
    auto r = replies.front();
    replies.pop_front();
    return r;
  }
  std::mutex mu;
  std::deque<open_reply> replies;
  waitable_log<std::string> opens;   ///< session ids of ai_open
  waitable_log<std::string> closes;  ///< session ids of ai_close
  waitable_log<std::string> forgets; ///< session ids of ai_forget
};

/// The AI link as the session sees it: binds the session to the script's
/// channel (routing its replies through the script's routes, as the real
/// link does) and answers ai_open as planned.
caf::behavior fake_ai_link(caf::event_based_actor* self,
                           std::shared_ptr<fake_link_script> script);

/// The AI service's answer to the frame `message` (as route_ai_reply
/// would get it from the network): image "\xFF\xD8\xFF" "out-<sequence>".
std::string processed_reply(const std::string& message);

/// The image the AI "renders" for `sequence`.
std::string rendered_image(std::int64_t sequence);

// -- persistence side
// ----------------------------------------------------------

/// One write the session asked of the persister.
struct persisted {
  std::string session_id;
  std::string kind; ///< "status" or "stats"
  std::string value;
};

/// Records p_status and p_stats.
caf::behavior fake_persister(caf::event_based_actor* self,
                             std::shared_ptr<waitable_log<persisted>> log);

/// The statuses written for `session_id`, in order.
std::vector<std::string> statuses(const waitable_log<persisted>& log,
                                  const std::string& session_id);

/// How the fake capture supervisor answers.
enum class capture_reply { ok, fail, hold };

/// One cap_req the session sent.
struct capture_call {
  std::string session_id;
  std::int64_t user_id = 0;
  std::optional<std::int64_t> post_id;
  std::int64_t sequence = 0;
  std::string image; ///< the processed frame's bytes after the header
};

/// What the fake capture supervisor shares with the test.
struct fake_capture_script {
  std::atomic<capture_reply> mode{capture_reply::ok};
  std::atomic<std::int64_t> next_id{100}; ///< try-on ids handed out
  waitable_log<capture_call> calls;
};

/// test -> fake capture: answer the held captures (capture_ok).
using release_atom = caf::atom_constant<caf::atom("t_release")>;

/// Answers cap_req with capture_ok (a new id) or capture_fail, or holds
/// the answers until release_atom.
caf::behavior fake_capture(caf::event_based_actor* self,
                           std::shared_ptr<fake_capture_script> script);

} // namespace tryon::testing
