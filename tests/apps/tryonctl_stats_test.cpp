// `tryonctl stats` (the built binary) against one-shot http/https servers
// standing in for tryon-server's /api/try-on/stats/: no database needed.
#include "local_ca.hpp"
#include "one_shot_server.hpp"
#include "run_command.hpp"

#include <gtest/gtest.h>

using tryon::testing::local_ca;
using tryon::testing::one_shot_answer;
using tryon::testing::one_shot_server;

namespace {

/// Runs `[env] tryonctl args` (shell words), stderr included, with
/// TRYON_CA_FILE, TRYON_URL and TRYON_TOKEN unset unless `env` sets them.
tryon::testing::command_result tryonctl(const std::string& args,
                                        const std::string& env = {}) {
  return tryon::testing::run_command(
      "env -u TRYON_CA_FILE -u TRYON_URL -u TRYON_TOKEN " + env + " " +
      TRYON_BINARY_DIR + "/apps/tryonctl " + args + " 2>&1");
}

one_shot_answer node_stats() {
  return {200, R"({"node_id":"node-7","frames":{"received":42}})",
          "application/json"};
}

std::string base(const std::string& scheme, const one_shot_server& s) {
  return scheme + "://127.0.0.1:" + std::to_string(s.port());
}

class TryonctlStats : public ::testing::Test {
protected:
  void SetUp() override { TRYON_REQUIRE_LOCAL_CA(ca_); }
  local_ca ca_;
};

} // namespace

TEST_F(TryonctlStats, AsksOverHttpsTrustingTheCaFile) {
  one_shot_server server(node_stats(), ca_.cert(), ca_.key());
  auto r = tryonctl("stats --url " + base("https", server) + "/ --token tok " +
                    "--ca-file " + ca_.ca());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("node node-7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("frames received"), std::string::npos) << r.out;
  EXPECT_EQ(server.target(), "/api/try-on/stats/");
  EXPECT_EQ(server.header("Authorization"), "Token tok");
  EXPECT_EQ(server.header("Accept"), "application/json");
}

TEST_F(TryonctlStats, TakesTheCaFileFromTheEnvironment) {
  one_shot_server server(node_stats(), ca_.cert(), ca_.key());
  auto r = tryonctl("--json stats", "TRYON_URL=" + base("https", server) +
                                        " TRYON_CA_FILE=" + ca_.ca());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\"node_id\": \"node-7\""), std::string::npos) << r.out;
}

TEST_F(TryonctlStats, RefusesAnUntrustedCertificate) {
  one_shot_server server(node_stats(), ca_.cert(), ca_.key());
  const std::string url = base("https", server);
  auto r = tryonctl("stats --url " + url);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "tryonctl: stats: " + url +
                       "/api/try-on/stats/: TLS handshake: certificate "
                       "verify failed: unable to get local issuer "
                       "certificate\n");
}

TEST_F(TryonctlStats, ReportsTheStatusAndDetail) {
  one_shot_server server(
      {403, R"({"detail":"You do not have permission."})", "application/json"});
  auto r = tryonctl("stats --url " + base("http", server) + " --token t");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "tryonctl: stats: HTTP 403: You do not have permission.\n");
}

TEST_F(TryonctlStats, ReportsAnUnreachableServer) {
  std::string url;
  {
    one_shot_server gone(node_stats());
    url = base("http", gone);
  }
  auto r = tryonctl("stats --url " + url);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "tryonctl: stats: " + url +
                       "/api/try-on/stats/: connect: Connection refused\n");
  r = tryonctl("stats --url ftp://127.0.0.1/");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("only http:// and https:// URLs are supported"),
            std::string::npos)
      << r.out;
}
