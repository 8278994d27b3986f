#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "actors/session_actor.hpp"
#include "tests/actors/fake_client_peer.hpp"
#include "tests/actors/session_fakes.hpp"

namespace tryon::testing {

/// Runs session actors (directly, or through the registry and gateway) on
/// a real actor system with two scheduler threads, against fake peers, a
/// fake AI link and channel, a fake persister and capture supervisor.
///
/// Why not CAF's test coordinator: the gateway blocks in a scoped_actor
/// request (as it does on the transport's blocking pool), which cannot
/// return while the test thread is the only one running actors; and the
/// peer and AI channel are called from actor threads as in production.
/// Tests therefore wait for what they expect (fake_client_peer::wait_for,
/// waitable_log) with bounded timeouts, and use the session's get_stats
/// answer as a barrier: it comes after every message the test sent before.
class session_fixture : public ::testing::Test {
protected:
  session_fixture();
  ~session_fixture() override;

  /// A session that expires in an hour, of user 7, post 42.
  actors::session_info info(const std::string& id = default_id) const;

  /// Spawns a session actor (no registry) and attaches `peer` to it as
  /// generation 1, as the registry does.
  caf::actor start(const std::shared_ptr<fake_client_peer>& peer,
                   const actors::session_info& i);
  caf::actor start(const std::shared_ptr<fake_client_peer>& peer) {
    return start(peer, info());
  }

  /// The client sends a text message (as the inbox does).
  void text(const caf::actor& s, const std::string& t, std::uint64_t gen = 1);
  /// The client sends camera frame `seq` (JPEG bytes).
  void frame(const caf::actor& s, std::int64_t seq, std::uint64_t gen = 1);
  /// init_session, then waits for the n-th session_ready; false on timeout.
  [[nodiscard]] bool init(const caf::actor& s, fake_client_peer& peer,
                          std::size_t n = 1);
  /// The AI service answers the `n`-th frame written to the channel (0:
  /// the first), through route_ai_reply like the link's network thread;
  /// false when that frame does not come.
  [[nodiscard]] bool answer(std::size_t n);
  /// The session's stats JSON (also a barrier, see above).
  nlohmann::json stats(const caf::actor& s);
  /// Waits until `n` statuses were written for `id`; returns them all.
  std::vector<std::string> statuses_after(std::size_t n,
                                          const std::string& id = default_id);
  /// Waits for the stats of `id` to be written (only the end of a session
  /// writes them here: the stats tick is long) and returns the last ones;
  /// null on timeout. The session writes its status first, so statuses()
  /// is complete then.
  nlohmann::json final_stats(const std::string& id = default_id);
  /// Waits until `a` has terminated; false on timeout.
  bool wait_down(const caf::actor& a,
                 std::chrono::milliseconds timeout = default_wait);

  static inline const std::string default_id =
      "5b3c6c1e-7d1a-4c1e-9d55-000000000001";

  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<fake_link_script> link_script =
      std::make_shared<fake_link_script>();
  std::shared_ptr<waitable_log<persisted>> persisted_log =
      std::make_shared<waitable_log<persisted>>();
  std::shared_ptr<fake_capture_script> capture_script =
      std::make_shared<fake_capture_script>();
  recording_ai_channel& channel = *link_script->channel;
  actors::session_env env;
  /// Actors killed at the end of the test (sessions spawned here too).
  std::vector<caf::actor> owned;
};

/// The camera image of frame `seq`.
std::string camera_image(std::int64_t seq);

/// A client message `{"type": type, ...extra}`.
std::string client_text(const std::string& type,
                        nlohmann::json extra = nlohmann::json::object());

} // namespace tryon::testing
