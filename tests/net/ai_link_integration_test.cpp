// net/ai_client + actors/ai_link against the reference AI service: a frame
// round trip, then the service is killed mid-stream and restarted on the
// same port; the link reconnects, re-inits and frames flow again.

#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "actors/ai_link.hpp"
#include "net/ai_client.hpp"
#include "protocol/ai_message.hpp"
#include "real_parts.hpp"
#include "tests/net/ai_process.hpp"

using namespace tryon;
using namespace tryon::actors;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

/// What the fake session saw for one frame.
struct frame_outcome {
  bool result = false;
  std::string code; ///< the ai_frame_err code when !result
};

class AiLinkIntegrationTest : public ::testing::Test {
protected:
  void SetUp() override {
    TRYON_REQUIRE_REAL_PART(ai_process::available(),
                            "the tryon-ai binary " + ai_process::binary());
    io_thread = std::thread{[this] { ioc.run(); }};
    jpeg = make_jpeg(64, 48);
    design = write_temp_file("link-design.jpg", make_jpeg(64, 64));
  }

  void TearDown() override {
    session.reset();
    if (link)
      caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
    link = nullptr;
    sys.await_all_actors_done(); // the link's channels are shut down
    work.reset();
    if (io_thread.joinable())
      io_thread.join();
    if (!design.empty())
      std::remove(design.c_str());
  }

  /// Sends frame `seq` and waits for its answer (nullopt on timeout).
  std::optional<frame_outcome> send_frame(std::int64_t seq) {
    auto msg = protocol::encode_ai_frame("s1", seq, 1, "jpeg", jpeg);
    auto& self = *session;
    take_bindings();
    // As the session actor does: straight into the bound channel; a frame
    // it cannot take fails at once.
    if (!binding.channel || !binding.channel->send_binary(shared_bytes{
                                std::make_shared<const std::string>(msg)}))
      return frame_outcome{false, "AI_SERVICE_UNAVAILABLE"};
    std::optional<frame_outcome> out;
    bool waiting = true;
    self->receive_while(waiting)(
        [&](ai_result_atom, const ai_result& r) {
          if (r.sequence != seq)
            return;
          EXPECT_EQ(r.message->substr(protocol::frame_header_size), jpeg);
          out = frame_outcome{true, {}};
          waiting = false;
        },
        [&](ai_frame_err_atom, std::int64_t s, protocol::error_code code,
            const std::string&) {
          if (s != seq)
            return;
          out = frame_outcome{false, std::string{protocol::to_string(code)}};
          waiting = false;
        },
        [&](ai_ready_atom) { ++extra_ready; },
        [&](ai_down_atom) { ADD_FAILURE() << "ai_down"; },
        [&](ai_bind_atom, ai_binding& b) { binding = std::move(b); },
        [&](ai_lost_atom) {
          binding = {};
          out = frame_outcome{false, "AI_SERVICE_UNAVAILABLE"};
          waiting = false;
        },
        caf::after(5s) >> [&] { waiting = false; });
    return out;
  }

  /// Takes the ai_bind / ai_lost messages already in the mailbox.
  void take_bindings() {
    bool more = true;
    (*session)->receive_while(more)(
        [&](ai_bind_atom, ai_binding& b) { binding = std::move(b); },
        [&](ai_lost_atom) { binding = {}; },
        caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
  }

  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  boost::asio::io_context ioc;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{
      ioc.get_executor()};
  std::thread io_thread;
  std::optional<caf::scoped_actor> session;
  caf::actor link;
  std::string jpeg;
  std::string design;
  int extra_ready = 0;
  ai_binding binding;
};

} // namespace

TEST_F(AiLinkIntegrationTest, FramesFlowAgainAfterServiceRestart) {
  ai_process ai{free_port(), {"--passthrough"}};
  ASSERT_TRUE(ai.start());
  ai_link_config link_cfg;
  link_cfg.url = ai.url();
  link_cfg.connections = 2;
  link_cfg.grace_period = 30s;
  link_cfg.backoff_min = 50ms;
  link_cfg.backoff_max = 400ms;
  link = sys.spawn(make_ai_link, link_cfg, net::make_ai_channel_factory(ioc));
  session.emplace(sys);
  (*session)->send(link, ai_open_atom::value, std::string{"s1"},
                   "file://" + design, std::optional<std::int64_t>{},
                   caf::actor{*session});
  bool ready = false;
  bool waiting = true;
  (*session)->receive_while(waiting)(
      [&](ai_bind_atom, ai_binding& b) { binding = std::move(b); },
      [&](ai_ready_atom) {
        ready = true;
        waiting = false;
      },
      caf::after(10s) >> [&] { waiting = false; });
  ASSERT_TRUE(ready);

  auto first = send_frame(1);
  ASSERT_TRUE(first && first->result);

  ai.kill();
  std::int64_t seq = 2;
  bool refused = false;
  for (; seq < 200 && !refused; ++seq) {
    auto o = send_frame(seq);
    refused = o && !o->result && o->code == "AI_SERVICE_UNAVAILABLE";
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(refused) << "frames were not refused after the kill";

  ASSERT_TRUE(ai.start());
  bool flowing = false;
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (!flowing && std::chrono::steady_clock::now() < deadline) {
    auto o = send_frame(seq++);
    flowing = o && o->result;
    if (!flowing)
      std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(flowing) << "no result after the restart";
  EXPECT_EQ(extra_ready, 0);

  std::string stats;
  (*session)
      ->request(link, 5s, get_stats_atom::value)
      .receive([&](std::string& s) { stats = std::move(s); },
               [](caf::error&) { ADD_FAILURE() << "stats"; });
  auto j = nlohmann::json::parse(stats);
  EXPECT_GE(j["reconnects"].get<int>(), 1);
  EXPECT_GE(j["channel_losses"].get<int>(), 1);
  EXPECT_EQ(j["connections_total"], 2);
  (*session)->send(link, ai_close_atom::value, std::string{"s1"});
}
