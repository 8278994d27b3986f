#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <gtest/gtest.h>

#include "actors/ai_link.hpp"
#include "tests/actors/fake_ai_channel.hpp"

namespace tryon::testing {

/// What a fake session actor received from the link, in order.
struct session_log {
  /// "ready", "failed CODE", "result SEQ", "frame_err SEQ CODE", "down",
  /// "lost" (ai_lost), and "refused SEQ" (frame() found no channel to take
  /// the frame, where a real session fails it at once).
  std::vector<std::string> events;
  /// The ai_result payloads received.
  std::vector<actors::ai_result> results;
  /// The last ai_bind received (reset by ai_lost).
  actors::ai_binding binding;
  /// ai_bind messages received.
  int binds = 0;
};

/// Runs the AI link with fake channels under CAF's test coordinator: time
/// only moves when the test advances it.
class ai_link_fixture : public ::testing::Test {
protected:
  ai_link_fixture();
  ~ai_link_fixture() override;

  /// Spawns the link (call once per test, after adjusting `cfg`).
  void start_link();
  /// Runs every pending message.
  void run() { sched().run(); }
  /// Moves the clock on and runs what became due.
  void advance(std::chrono::milliseconds d);
  /// Spawns a fake session actor that records into the returned log.
  std::pair<caf::actor, std::shared_ptr<session_log>> make_session();
  /// Sends ai_open for `id` from `peer` and runs.
  void open(const std::string& id, const caf::actor& peer,
            std::optional<std::int64_t> post_id = std::nullopt);
  /// Writes a frame for `id` into the channel its session is bound to, as
  /// the session actor does (logs "refused SEQ" when that is impossible).
  void frame(const std::string& id, std::int64_t sequence);
  /// Asks the link for its stats JSON.
  std::string stats();
  /// Asks the link whether a channel is up.
  bool ready_probe();
  /// Channel `i`.
  fake_ai_channel& chan(std::size_t i) { return *channels.made.at(i); }

  caf::scheduler::test_coordinator& sched();

  caf::actor_system_config sys_cfg;
  std::unique_ptr<caf::actor_system> sys;
  actors::ai_link_config cfg;
  fake_ai_channels channels;
  caf::actor link;
  std::vector<caf::actor> peers;
  /// Logs by fake session actor, and by session id once opened.
  std::vector<std::pair<caf::actor, std::shared_ptr<session_log>>> logs;
  std::map<std::string, std::shared_ptr<session_log>> by_id;
};

/// The `type` field and session of a text the link sent to the AI.
std::pair<std::string, std::string> text_kind(const std::string& text);

/// A processed_frame message as the AI service would send it.
std::string processed(const std::string& session_id, std::int64_t sequence);

} // namespace tryon::testing
