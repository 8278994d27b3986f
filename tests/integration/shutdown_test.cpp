// Graceful shutdown (drain) end to end: SIGTERM with a live client and
// captures queued. The client gets every frame_saved then close 1012
// (reconnect: the session lives on, for another node to take), nothing
// accepted is lost, figures are written, and the server exits 0 in time.

#include <csignal>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "real_parts.hpp"
#include "stack_helpers.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Each test stops its server, so each starts its own stack.
class Shutdown : public ::testing::Test {
protected:
  /// Starts the stack; false (with the reason in why()) when it cannot.
  bool start(test_stack::options o = {}) {
    o.server_env["TRYON_SHUTDOWN_DEADLINE"] = "10";
    stack_ = std::make_unique<test_stack>(o);
    return stack_->ok();
  }
  std::unique_ptr<test_stack> stack_;
};

} // namespace

TEST_F(Shutdown, SigtermFinishesQueuedCapturesAndClosesWith1012) {
  TRYON_REQUIRE_REAL_PART(start(), stack_->why());
  auto u = stack_->make_user("sd");
  auto session = stack_->make_session(u);
  auto c = open_ready(*stack_, u, session);
  ASSERT_TRUE(c);
  ASSERT_EQ(one_frame(*c, 1, 1280, 720).last, 1);
  constexpr int captures = 12;
  for (int i = 0; i < captures; ++i)
    c->send_text(R"({"type":"capture"})");
  // The pong comes after the session has handed every capture over: they
  // are all accepted (and most still queued) when the signal lands.
  c->send_text(R"({"type":"ping","timestamp":5})");
  ASSERT_TRUE(c->read_type("pong"));
  auto started = std::chrono::steady_clock::now();
  stack_->server().signal(SIGTERM);

  std::vector<std::int64_t> saved;
  int errors = 0;
  while (auto m = c->read(15s)) {
    auto [type, code] = kind_of(*m);
    if (type == "frame_saved")
      saved.push_back(json::parse(m->data)["try_on_id"]);
    errors += type == "error";
  }
  EXPECT_EQ(c->close_code(), 1012u);
  EXPECT_EQ(saved.size(), static_cast<std::size_t>(captures));
  EXPECT_EQ(errors, 0);

  auto code = stack_->server().wait(15s);
  ASSERT_TRUE(code) << "still running";
  EXPECT_EQ(*code, 0) << stack_->server().log();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 12s);

  // Every capture is a row with both files on disk.
  auto rows = stack_->db().results.list_results(u.id, -1, 0);
  EXPECT_EQ(rows.size(), static_cast<std::size_t>(captures));
  for (const auto& r : rows) {
    EXPECT_TRUE(
        fs::is_regular_file(fs::path(stack_->media_root()) / r.processed_image))
        << r.processed_image;
    ASSERT_TRUE(r.thumbnail);
    EXPECT_TRUE(
        fs::is_regular_file(fs::path(stack_->media_root()) / *r.thumbnail));
  }
  // Not ended: a reconnect (to another node) resumes it.
  auto rec = stack_->db().sessions.find_session(session);
  EXPECT_EQ(rec->status, "active");
  EXPECT_EQ(rec->stats.value("frames_processed", 0), 1);
  EXPECT_NE(stack_->server().log().find("stopped"), std::string::npos);
}

TEST_F(Shutdown, SigintWithIdleClientsExitsPromptly) {
  TRYON_REQUIRE_REAL_PART(start(), stack_->why());
  auto u = stack_->make_user("idle");
  auto a = open_ready(*stack_, u, stack_->make_session(u));
  auto b = open_ready(*stack_, u, stack_->make_session(u));
  ASSERT_TRUE(a && b);
  auto started = std::chrono::steady_clock::now();
  stack_->server().signal(SIGINT);
  EXPECT_FALSE(a->read(10s));
  EXPECT_EQ(a->close_code(), 1012u);
  EXPECT_FALSE(b->read(10s));
  EXPECT_EQ(b->close_code(), 1012u);
  auto code = stack_->server().wait(15s);
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  // Nothing listens any more.
  EXPECT_THROW(http_call(stack_->port(), "GET", "/healthz"), std::exception);
}

// The close frame is queued behind a processed frame the client has not
// read yet: the server must not stop its I/O threads (cutting the socket)
// before both went out.
TEST_F(Shutdown, CloseFrameQueuedBehindABlockedWriteStillArrives) {
  test_stack::options o;
  o.ai_args = {"--passthrough"};
  // Small buffers on both ends (4 KB, which Linux doubles): one 720p frame
  // overfills them.
  o.server_env["TRYON_CLIENT_SEND_BUFFER"] = "4096";
  TRYON_REQUIRE_REAL_PART(start(o), stack_->why());
  auto u = stack_->make_user("full");
  auto c = open_ready(*stack_, u, stack_->make_session(u), 4096);
  ASSERT_TRUE(c);
  auto frame = make_test_jpeg(1280, 720);
  ASSERT_GT(frame.size(), 20u * 1024) << "the frame must not fit the buffers";
  for (int seq = 1; seq <= 3; ++seq)
    c->send_binary(make_client_frame(seq, frame));
  // Not reading: the server's write of the first result blocks.
  std::this_thread::sleep_for(500ms);
  stack_->server().signal(SIGTERM);
  // Long enough for the actors to finish and the close to be queued.
  std::this_thread::sleep_for(500ms);

  int images = 0;
  while (auto m = c->read(15s))
    images += m->binary;
  EXPECT_GE(images, 1) << "no processed frame was pending: nothing tested";
  EXPECT_EQ(c->close_code(), 1012u);
  auto code = stack_->server().wait(15s);
  ASSERT_TRUE(code) << "still running";
  EXPECT_EQ(*code, 0) << stack_->server().log();
}

// A drained node's phone reconnects (as through a load balancer) to another
// node and streams on: the session was handed off, not ended, and every
// capture it had accepted was answered before the 1012. As behind a load
// balancer, both nodes share one public URL and one media root, which the
// AI service reads as files (TRYON_INTERNAL_MEDIA_URL): the drained node
// does not take the design with it.
TEST_F(Shutdown, DrainedSessionResumesOnAnotherNode) {
  test_stack::options o;
  o.extra_nodes = 1;
  o.server_env["TRYON_PUBLIC_URL"] = "https://tryon.example";
  o.server_env["TRYON_INTERNAL_MEDIA_URL"] = "file://@MEDIA_ROOT@";
  TRYON_REQUIRE_REAL_PART(start(o), stack_->why());
  auto u = stack_->make_user("drain");
  auto post =
      stack_->db()
          .posts.add_post("https://tryon.example/media/posts/demo.jpg", "LB")
          .id;
  auto res = http_call(stack_->port(), "POST", "/api/try-on/session/create/",
                       {u.auth(), {"Content-Type", "application/json"}},
                       json{{"nail_post_id", post}}.dump());
  auto session = json::parse(res.body).value("session_id", "");
  ASSERT_FALSE(session.empty()) << res.body;
  auto c = open_ready(*stack_, u, session);
  ASSERT_TRUE(c);
  ASSERT_EQ(one_frame(*c, 1).processed, 1);
  constexpr int captures = 3;
  for (int i = 0; i < captures; ++i)
    c->send_text(R"({"type":"capture"})");
  c->send_text(R"({"type":"ping","timestamp":5})");
  ASSERT_TRUE(c->read_type("pong"));
  stack_->server().signal(SIGTERM);
  int saved = 0;
  while (auto m = c->read(15s))
    saved += kind_of(*m).first == "frame_saved";
  EXPECT_EQ(c->close_code(), 1012u);
  EXPECT_EQ(saved, captures);

  ws_client again(stack_->node_port(1), "/ws/try-on/" + session + "/",
                  {u.auth()});
  again.send_text(R"({"type":"init_session"})");
  ASSERT_TRUE(again.read_type("session_ready", 20s));
  EXPECT_EQ(one_frame(again, 2).processed, 1);
  EXPECT_EQ(stack_->db().sessions.find_session(session)->status, "active");
  EXPECT_EQ(stack_->db().results.list_results(u.id, -1, 0).size(),
            static_cast<std::size_t>(captures));
}
