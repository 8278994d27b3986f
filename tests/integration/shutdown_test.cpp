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

/// What one client saw after asking for captures: frame_saved ids and
/// errors, counted from the moment they were asked for (a save can finish
/// before the pong that follows the captures).
struct capture_answers {
  std::vector<std::int64_t> saved;
  int errors = 0;

  void count(const ws_message& m) {
    auto [type, code] = kind_of(m);
    if (type == "frame_saved")
      saved.push_back(json::parse(m.data)["try_on_id"]);
    errors += type == "error";
  }
};

/// Sends `n` captures of the current frame and a ping; reads until the
/// pong, counting what comes before it. False when no pong came.
bool capture_and_ping(ws_client& c, int n, capture_answers& seen) {
  for (int i = 0; i < n; ++i)
    c.send_text(R"({"type":"capture"})");
  c.send_text(R"({"type":"ping","timestamp":5})");
  while (auto m = c.read(15s)) {
    if (kind_of(*m).first == "pong")
      return true;
    seen.count(*m);
  }
  return false;
}

TEST_F(Shutdown, SigtermFinishesQueuedCapturesAndClosesWith1012) {
  TRYON_REQUIRE_REAL_PART(start(), stack_->why());
  // Captures of one frame are stored once (docs/SECURITY.md), so the saves
  // queued at the signal come from several phones, each asking three
  // times (within the per-session burst) for its own frame.
  constexpr int phones = 4;
  constexpr int captures = 3;
  std::vector<test_user> users;
  std::vector<std::unique_ptr<ws_client>> clients;
  std::vector<capture_answers> seen(phones);
  for (int p = 0; p < phones; ++p) {
    users.push_back(stack_->make_user("sd" + std::to_string(p)));
    auto session = stack_->make_session(users.back());
    clients.push_back(open_ready(*stack_, users.back(), session));
    ASSERT_TRUE(clients.back());
    ASSERT_EQ(one_frame(*clients.back(), 1, 1280, 720).last, 1);
  }
  // The pong comes after the session has handed its captures over: they
  // are all accepted (and most still queued) when the signal lands.
  for (int p = 0; p < phones; ++p)
    ASSERT_TRUE(capture_and_ping(*clients[p], captures, seen[p]));
  auto started = std::chrono::steady_clock::now();
  stack_->server().signal(SIGTERM);

  for (int p = 0; p < phones; ++p) {
    while (auto m = clients[p]->read(15s))
      seen[p].count(*m);
    EXPECT_EQ(clients[p]->close_code(), 1012u) << "phone " << p;
    // Every capture answered, all with the one row of that frame.
    ASSERT_EQ(seen[p].saved.size(), static_cast<std::size_t>(captures))
        << "phone " << p;
    for (auto id : seen[p].saved)
      EXPECT_EQ(id, seen[p].saved.front()) << "phone " << p;
    EXPECT_EQ(seen[p].errors, 0) << "phone " << p;
  }

  auto code = stack_->server().wait(15s);
  ASSERT_TRUE(code) << "still running";
  EXPECT_EQ(*code, 0) << stack_->server().log();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 12s);

  // Each phone's frame is one row, with both files on disk.
  for (int p = 0; p < phones; ++p) {
    auto rows = stack_->db().results.list_results(users[p].id, -1, 0);
    ASSERT_EQ(rows.size(), 1u) << "phone " << p;
    EXPECT_EQ(rows[0].id, seen[p].saved.front());
    EXPECT_TRUE(fs::is_regular_file(fs::path(stack_->media_root()) /
                                    rows[0].processed_image))
        << rows[0].processed_image;
    ASSERT_TRUE(rows[0].thumbnail);
    EXPECT_TRUE(fs::is_regular_file(fs::path(stack_->media_root()) /
                                    *rows[0].thumbnail));
    // Not ended: a reconnect (to another node) resumes it.
    auto rec = stack_->db().sessions.find_session(rows[0].session_id);
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->status, "active");
    EXPECT_EQ(rec->stats.value("frames_processed", 0), 1);
  }
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
  capture_answers seen;
  ASSERT_TRUE(capture_and_ping(*c, captures, seen));
  stack_->server().signal(SIGTERM);
  while (auto m = c->read(15s))
    seen.count(*m);
  EXPECT_EQ(c->close_code(), 1012u);
  EXPECT_EQ(seen.saved.size(), static_cast<std::size_t>(captures));
  EXPECT_EQ(seen.errors, 0);

  ws_client again(stack_->node_port(1), "/ws/try-on/" + session + "/",
                  {u.auth()});
  again.send_text(R"({"type":"init_session"})");
  ASSERT_TRUE(again.read_type("session_ready", 20s));
  EXPECT_EQ(one_frame(again, 2).processed, 1);
  EXPECT_EQ(stack_->db().sessions.find_session(session)->status, "active");
  // Three captures of one frame: one row (docs/SECURITY.md).
  EXPECT_EQ(stack_->db().results.list_results(u.id, -1, 0).size(), 1u);
}
