// What an on-call engineer reads, end to end against the real binaries:
// the access log (JSON lines: request id in and out, 4xx logged, no token),
// the WebSocket end line, /metrics of the server and of tryon-ai checked by
// promtool, and --version / --help of the binaries.

#include <array>
#include <cstdio>
#include <regex>
#include <sstream>

#include <sys/wait.h>

#include <gtest/gtest.h>

#include "promtool.hpp"
#include "real_parts.hpp"
#include "stack_helpers.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

/// The JSON lines of a log whose fields match all of `want`.
std::vector<json> lines_with(const std::string& log, const json& want) {
  std::vector<json> out;
  std::istringstream in{log};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '{')
      continue;
    auto j = json::parse(line, nullptr, false);
    if (j.is_discarded())
      continue;
    bool all = true;
    for (const auto& [k, v] : want.items())
      all = all && j.contains(k) && j[k] == v;
    if (all)
      out.push_back(j);
  }
  return out;
}

/// stdout of `cmd` and its exit code.
std::pair<std::string, int> run(const std::string& cmd) {
  std::string out;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe)
    return {"", -1};
  std::array<char, 4096> buf{};
  while (auto n = std::fread(buf.data(), 1, buf.size(), pipe))
    out.append(buf.data(), n);
  int st = ::pclose(pipe);
  return {out, WIFEXITED(st) ? WEXITSTATUS(st) : -1};
}

std::string bin(const char* rel) {
  return std::string{TRYON_BINARY_DIR} + "/" + rel;
}

class Observability : public shared_stack_suite<Observability> {
protected:
  static void SetUpTestSuite() {
    test_stack::options o;
    o.server_env["TRYON_LOG_FORMAT"] = "json";
    o.server_env["TRYON_NODE_ID"] = "obs-node";
    start_stack(o);
  }
  /// Polls the server log for lines matching `want`.
  std::vector<json> wait_for_lines(const json& want) {
    std::vector<json> found;
    eventually(
        [&] {
          found = lines_with(stack_->server().log(), want);
          return !found.empty();
        },
        5s);
    return found;
  }
};

} // namespace

TEST_F(Observability, RequestIdIsEchoedAndLogged) {
  auto r =
      http_call(stack_->port(), "GET", "/healthz", {{"X-Request-ID", "abc"}});
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.headers["x-request-id"], "abc");
  auto lines = wait_for_lines({{"msg", "http"}, {"request_id", "abc"}});
  ASSERT_EQ(lines.size(), 1u) << stack_->server().log();
  const auto& l = lines.front();
  EXPECT_EQ(l["method"], "GET");
  EXPECT_EQ(l["path"], "/healthz");
  EXPECT_EQ(l["route"], "/healthz");
  EXPECT_EQ(l["status"], 200);
  EXPECT_EQ(l["node"], "obs-node");
  EXPECT_GT(l["bytes"].get<int>(), 0);
  EXPECT_GE(l["duration_ms"].get<double>(), 0.0);
  EXPECT_TRUE(l["user_id"].is_null());
  EXPECT_EQ(l["level"], "info");
}

TEST_F(Observability, AnInsaneRequestIdIsReplaced) {
  auto r = http_call(stack_->port(), "GET", "/healthz",
                     {{"X-Request-ID", "two words\"{}"}});
  auto id = r.headers["x-request-id"];
  EXPECT_TRUE(std::regex_match(id, std::regex{"[0-9a-f]{16}"})) << id;
  EXPECT_FALSE(wait_for_lines({{"msg", "http"}, {"request_id", id}}).empty());
}

TEST_F(Observability, FourXxAreLoggedWithoutTheToken) {
  auto u = stack_->make_user("logged");
  // A refused request (bad token in the query) and an authenticated one.
  auto bad = http_call(stack_->port(), "GET",
                       "/api/try-on/results/?token=sekrit-token-value",
                       {{"X-Request-ID", "four-oh-one"}});
  EXPECT_EQ(bad.status, 401u);
  auto lines = wait_for_lines({{"request_id", "four-oh-one"}});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["status"], 401);
  EXPECT_EQ(lines[0]["path"], "/api/try-on/results/");
  auto good = http_call(stack_->port(), "GET", "/api/try-on/results/",
                        {u.auth(), {"X-Request-ID", "authed"}});
  EXPECT_EQ(good.status, 200u);
  lines = wait_for_lines({{"request_id", "authed"}});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["user_id"], u.id);
  auto missing = http_call(stack_->port(), "GET", "/api/nothing-here/",
                           {{"X-Request-ID", "nf"}});
  EXPECT_EQ(missing.status, 404u);
  lines = wait_for_lines({{"request_id", "nf"}});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["route"], "other");
  const auto log = stack_->server().log();
  EXPECT_EQ(log.find("sekrit-token-value"), std::string::npos);
  EXPECT_EQ(log.find(u.token), std::string::npos);
}

TEST_F(Observability, AWebSocketEndsWithOneLine) {
  auto u = stack_->make_user("phone");
  auto session = stack_->make_session(u);
  {
    auto c = open_ready(*stack_, u, session);
    ASSERT_TRUE(c);
    EXPECT_EQ(one_frame(*c, 1).processed, 1);
    EXPECT_EQ(one_frame(*c, 2).processed, 1);
    c->close();
  }
  auto lines =
      wait_for_lines({{"msg", "websocket closed"}, {"session", session}});
  ASSERT_EQ(lines.size(), 1u) << stack_->server().log();
  const auto& l = lines.front();
  EXPECT_EQ(l["close_code"], 1000);
  EXPECT_EQ(l["closed_by"], "client");
  EXPECT_EQ(l["user_id"], u.id);
  EXPECT_EQ(l["frames_in"], 2);
  EXPECT_EQ(l["frames_processed"], 2);
  EXPECT_EQ(l["frames_dropped"], 0);
  EXPECT_EQ(l["node"], "obs-node");
  EXPECT_EQ(l["request_id"].get<std::string>().size(), 16u);
  // A refused connection: the close code the server sent.
  ws_client bad{stack_->port(), "/ws/try-on/" + session + "/?token=nope"};
  ASSERT_TRUE(bad.open());
  bad.read(5s);
  EXPECT_EQ(bad.close_code(), 4001u);
  lines = wait_for_lines({{"msg", "websocket closed"}, {"close_code", 4001}});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["closed_by"], "server");
  EXPECT_EQ(stack_->server().log().find("token=nope"), std::string::npos);

  auto text = http_call(stack_->port(), "GET", "/metrics").body;
  EXPECT_NE(text.find("tryon_websocket_closed_total{code=\"1000\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tryon_websocket_closed_total{code=\"4001\"} 1"),
            std::string::npos);
}

TEST_F(Observability, ServerMetricsPassPromtool) {
  TRYON_REQUIRE_REAL_PART(!promtool_path().empty(),
                          "promtool (Debian package prometheus)");
  http_call(stack_->port(), "GET", "/healthz");
  auto r = http_call(stack_->port(), "GET", "/metrics");
  ASSERT_EQ(r.status, 200u);
  auto check = promtool_check_metrics(r.body);
  EXPECT_EQ(check.status, 0) << check.output;
  EXPECT_EQ(check.output, "") << check.output;
  EXPECT_TRUE(std::regex_search(
      r.body,
      std::regex{
          R"(\ntryon_build_info\{commit="[^"]+",version="\d+\.\d+\.\d+"\} 1\n)"}))
      << r.body;
  EXPECT_NE(r.body.find("tryon_http_requests_total{route=\"/healthz\","
                        "status_class=\"2xx\"}"),
            std::string::npos);
  for (const char* name :
       {"process_cpu_seconds_total ", "process_open_fds ", "process_max_fds ",
        "process_resident_memory_bytes "})
    EXPECT_NE(r.body.find(std::string{"\n"} + name), std::string::npos) << name;
  EXPECT_EQ(r.body.find("tryon_sessions{"), std::string::npos)
      << "cluster-wide figures must not be exported per node";
}

TEST_F(Observability, AiServiceMetricsPassPromtool) {
  TRYON_REQUIRE_REAL_PART(!promtool_path().empty(),
                          "promtool (Debian package prometheus)");
  auto u = stack_->make_user("ai");
  auto session = stack_->make_session(u);
  {
    auto c = open_ready(*stack_, u, session);
    ASSERT_TRUE(c);
    EXPECT_EQ(one_frame(*c, 1).processed, 1);
  }
  auto r = http_call(stack_->ai_port(), "GET", "/metrics");
  ASSERT_EQ(r.status, 200u);
  auto check = promtool_check_metrics(r.body);
  EXPECT_EQ(check.status, 0) << check.output;
  EXPECT_EQ(check.output, "") << check.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.body, m,
      std::regex{R"(\ntryon_ai_frames_total\{result="processed"\} (\d+))"}))
      << r.body;
  EXPECT_GE(std::stoi(m[1]), 1);
  EXPECT_NE(r.body.find("\ntryon_ai_build_info{"), std::string::npos);
  EXPECT_NE(r.body.find("\ntryon_ai_frame_duration_seconds_count "),
            std::string::npos);
  EXPECT_NE(r.body.find("\ntryon_ai_connections "), std::string::npos);
  EXPECT_NE(r.body.find("\nprocess_open_fds "), std::string::npos);
}

TEST(Binaries, VersionAndHelpWithDefaults) {
  const std::regex version{
      R"(\d+\.\d+\.\d+ \(commit ([0-9a-f]+(-dirty)?|unknown)\))"};
  auto [server, server_rc] = run(bin("apps/tryon-server") + " --version");
  EXPECT_EQ(server_rc, 0);
  EXPECT_EQ(server.rfind("tryon-server ", 0), 0u) << server;
  EXPECT_TRUE(std::regex_search(server, version)) << server;
  auto [ctl, ctl_rc] = run(bin("apps/tryonctl") + " --version");
  EXPECT_EQ(ctl_rc, 0);
  EXPECT_EQ(ctl.rfind("tryonctl ", 0), 0u) << ctl;
  EXPECT_TRUE(std::regex_search(ctl, version)) << ctl;
  // --help names each setting's built-in default, whatever the environment.
  auto [help, help_rc] =
      run("TRYON_MAX_FRAME_SIZE=4096 " + bin("apps/tryon-server") + " --help");
  EXPECT_EQ(help_rc, 0);
  EXPECT_NE(help.find("10485760"), std::string::npos) << help;
  EXPECT_NE(help.find("TRYON_LOG_FORMAT"), std::string::npos) << help;
  EXPECT_TRUE(std::regex_search(help, std::regex{R"(--log-format TEXT=text)"}))
      << help;
  auto [bad, bad_rc] =
      run("TRYON_LOG_FORMAT=xml " + bin("apps/tryon-server") + " 2>&1");
  EXPECT_EQ(bad_rc, 2);
  EXPECT_NE(bad.find("TRYON_LOG_FORMAT"), std::string::npos) << bad;
}
