// Operator figures end to end: a scripted run (N frames sent, M processed,
// K dropped) shows up exactly in /api/try-on/stats/, /metrics, the
// session's stats column and `tryonctl stats`.

#include <csignal>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "stack_helpers.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

class OperatorStats : public shared_stack_suite<OperatorStats> {
protected:
  static void SetUpTestSuite() {
    test_stack::options o;
    o.ai_args = {"--delay-ms", "40"}; // slower than the camera: drops
    o.server_env["TRYON_STATS_INTERVAL"] = "1";
    o.server_env["TRYON_NODE_ID"] = "stats-node-" + std::to_string(::getpid());
    start_stack(o);
  }
  void prepare() override { staff_ = stack_->make_user("ops", true); }
  json stats() {
    unsigned status = 0;
    auto s = get_json(*stack_, "/api/try-on/stats/", &staff_, &status);
    EXPECT_EQ(status, 200u) << s.dump();
    return s;
  }
  static std::int64_t at(const json& j, const char* pointer) {
    auto p = json::json_pointer(pointer);
    return j.contains(p) && j.at(p).is_number() ? j.at(p).get<std::int64_t>()
                                                : -1;
  }
  /// Runs `tryonctl stats` against the stack; its exit code and output.
  std::pair<int, std::string> tryonctl_stats(const std::string& token) {
    auto log = stack_->media_root() + "/../tryonctl-" +
               std::to_string(++runs_) + ".log";
    child_process ctl{{std::string{TRYON_BINARY_DIR} + "/apps/tryonctl",
                       "stats", "--url",
                       "http://127.0.0.1:" + std::to_string(stack_->port()),
                       "--token", token},
                      {},
                      log};
    auto code = ctl.wait(20s);
    std::ifstream in{log};
    std::stringstream out;
    out << in.rdbuf();
    return {code.value_or(-1), out.str()};
  }

  test_user staff_;
  int runs_ = 0;
};

} // namespace

TEST_F(OperatorStats, ScriptedRunMatchesTheFigures) {
  auto before = stats();
  auto u = stack_->make_user("cam");
  auto session = stack_->make_session(u);
  auto c = open_ready(*stack_, u, session);
  ASSERT_TRUE(c);
  // A burst the AI cannot keep up with: frames are dropped as stale (some
  // may be shed by the transport; the last one too, so wait for the server
  // to settle, then send one more, which is always delivered and reports
  // every drop before it).
  constexpr int burst = 30;
  constexpr int n = burst + 1;
  auto jpeg = make_test_jpeg(320, 240);
  for (int seq = 1; seq <= burst; ++seq)
    c->send_binary(make_client_frame(seq, jpeg));
  eventually(
      [&] {
        auto s = stats();
        auto rx = at(s, "/frames/received") - at(before, "/frames/received");
        auto done = at(s, "/frames/processed") + at(s, "/frames/dropped") -
                    at(before, "/frames/processed") -
                    at(before, "/frames/dropped");
        return rx > 0 && done == rx;
      },
      10s);
  c->send_binary(make_client_frame(n, jpeg));
  auto run = read_until(*c, n, 30s);
  ASSERT_EQ(run.last, n);
  const int m = run.processed;
  const auto k = run.dropped;
  EXPECT_EQ(m + k, n);
  EXPECT_GT(k, 0) << "the AI delay should have made the session drop frames";
  c->send_binary(std::string(100, 'x')); // one rejected: too short a header
  ASSERT_TRUE(c->read_type("error"));

  auto after = stats();
  auto delta = [&](const char* p) { return at(after, p) - at(before, p); };
  EXPECT_EQ(delta("/frames/received"), n);
  EXPECT_EQ(delta("/frames/processed"), m);
  EXPECT_EQ(delta("/frames/dropped"), k);
  EXPECT_EQ(delta("/frames/rejected"), 1);
  EXPECT_GE(delta("/frames/forwarded"), m);
  EXPECT_LE(delta("/frames/forwarded"), n);
  auto header_errors = [](const json& j) {
    return j["errors"]["by_code"].value("INVALID_FRAME_HEADER", 0);
  };
  EXPECT_EQ(header_errors(after) - header_errors(before), 1);
  EXPECT_EQ(at(after, "/websocket/peers"), 1);
  EXPECT_EQ(at(after, "/live_sessions"), 1);
  EXPECT_EQ(at(after, "/session_actors"), 1);
  EXPECT_GT(at(after, "/actors_running"), 4);
  EXPECT_GE(at(after, "/ai_link/connections_up"), 1);
  EXPECT_EQ(at(after, "/ai_link/sessions"), 1);
  EXPECT_GE(at(after, "/sessions_by_status/active"), 1);
  EXPECT_GE(at(after, "/latency_ms/processing/count"), m);
  EXPECT_GT(after["latency_ms"]["processing"]["p50"].get<double>(), 30.0);
  EXPECT_GT(after["latency_ms"]["end_to_end"]["p95"].get<double>(), 0.0);
  EXPECT_GT(at(after, "/process/rss_bytes"), 1 << 20);
  auto node = after["node_id"].get<std::string>();
  ASSERT_TRUE(after["per_node"].contains(node));
  EXPECT_EQ(at(after["per_node"][node], "/frames/received"),
            at(after, "/frames/received"));

  // /metrics says the same.
  auto text = http_call(stack_->port(), "GET", "/metrics").body;
  EXPECT_NE(text.find("tryon_frames_total{stage=\"received\"} " +
                      std::to_string(at(after, "/frames/received")) + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tryon_websocket_peers 1\n"), std::string::npos);
  EXPECT_NE(text.find("tryon_processing_latency_seconds_bucket"),
            std::string::npos);

  // The session's own stats column, written at its end.
  c->close();
  ASSERT_TRUE(eventually(
      [&] {
        return stack_->db().sessions.find_session(session)->status ==
               "completed";
      },
      5s));
  json col;
  ASSERT_TRUE(eventually(
      [&] {
        col = stack_->db().sessions.find_session(session)->stats;
        return col.value("frames_received", 0) == n;
      },
      5s))
      << col.dump();
  EXPECT_EQ(col["frames_processed"], m);
  EXPECT_EQ(col["frames_dropped"], k);
  EXPECT_EQ(col["frames_rejected"], 1);
  EXPECT_GE(col["errors"].get<int>(), 1);
  EXPECT_GT(col["processing_ms_p95"].get<double>(), 0.0);
  EXPECT_TRUE(eventually(
      [&] {
        auto s = stats();
        return at(s, "/websocket/peers") == 0 && at(s, "/session_actors") == 0;
      },
      5s));
}

TEST_F(OperatorStats, StatsAreForStaffOnly) {
  auto u = stack_->make_user("plain");
  unsigned status = 0;
  get_json(*stack_, "/api/try-on/stats/", &u, &status);
  EXPECT_EQ(status, 403u);
  get_json(*stack_, "/api/try-on/stats/", nullptr, &status);
  EXPECT_EQ(status, 401u);
  auto [code, out] = tryonctl_stats(u.token);
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("HTTP 403"), std::string::npos) << out;
}

TEST_F(OperatorStats, TryonctlPrintsTheSameFigures) {
  auto s = stats();
  auto [code, out] = tryonctl_stats(staff_.token);
  ASSERT_EQ(code, 0) << out;
  EXPECT_NE(out.find(s["node_id"].get<std::string>()), std::string::npos);
  for (auto* label : {"frames received", "frames dropped", "websocket peers",
                      "processing p95 ms", "capture queue", "AI connections up",
                      "sessions (database)", "RSS MiB"})
    EXPECT_NE(out.find(label), std::string::npos) << label << "\n" << out;
}

TEST_F(OperatorStats, NodesSharingRedisSeeEachOther) {
  // A second node: the first one's environment (same database and Redis),
  // its own port and node id.
  std::map<std::string, std::string> env;
  std::ifstream environ{"/proc/" + std::to_string(stack_->server().pid()) +
                        "/environ"};
  for (std::string kv; std::getline(environ, kv, '\0');)
    if (kv.rfind("TRYON_", 0) == 0 || kv.rfind("DATABASE_URL=", 0) == 0 ||
        kv.rfind("REDIS_URL=", 0) == 0)
      env[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
  auto port = free_port();
  env["TRYON_PORT"] = std::to_string(port);
  env["TRYON_NODE_ID"] = "second-node-" + std::to_string(::getpid());
  child_process second{{std::string{TRYON_BINARY_DIR} + "/apps/tryon-server"},
                       env,
                       stack_->media_root() + "/../second.log"};
  ASSERT_TRUE(eventually(
      [&] {
        try {
          return http_call(port, "GET", "/healthz").status == 200;
        } catch (const std::exception&) {
          return false;
        }
      },
      30s))
      << second.log();
  json seen;
  EXPECT_TRUE(eventually(
      [&] {
        seen = stats()["per_node"];
        return seen.contains(env["TRYON_NODE_ID"]);
      },
      10s))
      << seen.dump();
  // Its figures, as it published them; it withdraws them when it stops.
  EXPECT_EQ(at(seen[env["TRYON_NODE_ID"]], "/live_sessions"), 0);
  second.signal(SIGTERM);
  EXPECT_EQ(second.wait(15s), 0);
  EXPECT_FALSE(stats()["per_node"].contains(env["TRYON_NODE_ID"]));
}
