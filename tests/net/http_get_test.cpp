// net/http_get against one-shot servers on loopback: statuses and bodies
// over http and https, certificates, the body limit, the deadline.
#include "net/http_get.hpp"
#include "net/tls_client.hpp"

#include "local_ca.hpp"
#include "one_shot_server.hpp"

#include <gtest/gtest.h>

#include <chrono>

using namespace tryon;
using tryon::testing::local_ca;
using tryon::testing::one_shot_answer;
using tryon::testing::one_shot_server;

namespace {

net::http_get_request get(const one_shot_server& s, bool tls,
                          const std::string& target,
                          const std::string& host = "127.0.0.1") {
  net::http_get_request r;
  r.tls = tls;
  r.host = host;
  r.port = std::to_string(s.port());
  r.target = target;
  r.timeout = std::chrono::seconds(10);
  return r;
}

std::shared_ptr<net::tls_client_context> trusting(const std::string& ca) {
  std::string error;
  auto ctx = net::make_tls_client_context(ca, error);
  EXPECT_TRUE(ctx) << error;
  return ctx;
}

class HttpGet : public ::testing::Test {
protected:
  void SetUp() override { TRYON_REQUIRE_LOCAL_CA(ca_); }
  local_ca ca_;
};

} // namespace

TEST_F(HttpGet, ReturnsAnyStatusWithItsBody) {
  for (bool tls : {false, true}) {
    one_shot_server server({403, R"({"detail":"no"})", "application/json"},
                           tls ? ca_.cert() : "", ca_.key());
    auto req = get(server, tls, "/api/x/?a=1");
    req.headers.emplace_back("Authorization", "Token t");
    req.user_agent = "tester";
    auto r = net::http_get(req, tls ? trusting(ca_.ca()) : nullptr);
    EXPECT_EQ(r.error, "") << tls;
    EXPECT_EQ(r.status, 403u);
    EXPECT_EQ(r.body, R"({"detail":"no"})");
    EXPECT_EQ(server.target(), "/api/x/?a=1");
    EXPECT_EQ(server.header("Authorization"), "Token t");
    EXPECT_EQ(server.header("User-Agent"), "tester");
  }
}

TEST_F(HttpGet, SendsTheNameItVerifies) {
  one_shot_server server({200, "ok"}, ca_.cert(), ca_.key());
  auto r =
      net::http_get(get(server, true, "/", "localhost"), trusting(ca_.ca()));
  EXPECT_EQ(r.status, 200u) << r.error;
  EXPECT_EQ(server.header("Host"),
            "localhost:" + std::to_string(server.port()));
}

TEST_F(HttpGet, RefusesAnUntrustedCertificate) {
  one_shot_server server({200, "ok"}, ca_.cert(), ca_.key());
  // The system's CAs: the local CA is not one of them.
  auto r = net::http_get(get(server, true, "/"), trusting(""));
  EXPECT_EQ(r.status, 0u);
  EXPECT_EQ(r.error, "TLS handshake: certificate verify failed: unable to "
                     "get local issuer certificate");
  EXPECT_EQ(server.target(), "");
}

TEST_F(HttpGet, RefusesACertificateForAnotherAddress) {
  // Trusted, but it names 127.0.0.1, ::1 and localhost, not 127.0.0.2.
  one_shot_server server({200, "ok"}, ca_.cert(), ca_.key(), "127.0.0.2");
  auto r =
      net::http_get(get(server, true, "/", "127.0.0.2"), trusting(ca_.ca()));
  EXPECT_EQ(r.status, 0u);
  EXPECT_EQ(r.error, "TLS handshake: certificate verify failed: IP address "
                     "mismatch");
}

TEST_F(HttpGet, StopsAtTheBodyLimit) {
  for (bool tls : {false, true})
    for (bool chunked : {false, true}) {
      one_shot_answer big{200, std::string(1001, 'x')};
      big.chunked = chunked;
      one_shot_server server(big, tls ? ca_.cert() : "", ca_.key());
      auto req = get(server, tls, "/");
      req.max_body_bytes = 1000;
      auto r = net::http_get(req, tls ? trusting(ca_.ca()) : nullptr);
      EXPECT_EQ(r.status, 0u);
      EXPECT_TRUE(r.too_large) << tls << chunked;
      EXPECT_EQ(r.error, "read: larger than 1000 bytes");
    }
  one_shot_server exact({200, std::string(1000, 'x')});
  auto req = get(exact, false, "/");
  req.max_body_bytes = 1000;
  auto r = net::http_get(req, nullptr);
  EXPECT_EQ(r.status, 200u) << r.error;
  EXPECT_EQ(r.body.size(), 1000u);
}

TEST_F(HttpGet, GivesUpAtTheDeadline) {
  one_shot_answer silent;
  silent.never_answer = true;
  for (bool tls : {false, true}) {
    one_shot_server server(silent, tls ? ca_.cert() : "", ca_.key());
    auto req = get(server, tls, "/");
    req.timeout = std::chrono::milliseconds(200);
    const auto start = std::chrono::steady_clock::now();
    auto r = net::http_get(req, tls ? trusting(ca_.ca()) : nullptr);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.error, "read: timed out") << tls;
    EXPECT_GE(took, std::chrono::milliseconds(190));
    EXPECT_LT(took, std::chrono::seconds(3));
  }
}

TEST(HttpGetNoCa, ReportsTheFailingStep) {
  net::http_get_request req;
  req.host = "127.0.0.1";
  {
    one_shot_server gone({200, "ok"});
    req.port = std::to_string(gone.port());
  } // nothing listens there any more
  auto r = net::http_get(req, nullptr);
  EXPECT_EQ(r.status, 0u);
  EXPECT_EQ(r.error, "connect: Connection refused");
}

TEST(HttpGetNoCa, HttpsWithoutAContextFails) {
  net::http_get_request req;
  req.tls = true;
  req.host = "127.0.0.1";
  req.port = "1";
  auto r = net::http_get(req, nullptr);
  EXPECT_EQ(r.status, 0u);
  EXPECT_EQ(r.error, "TLS handshake: no TLS client context");
}

TEST(HttpGetNoCa, ReportsAnUnloadableCaFile) {
  std::string error;
  EXPECT_FALSE(net::make_tls_client_context("/nonexistent/ca.pem", error));
  EXPECT_EQ(error.rfind("CA file '/nonexistent/ca.pem': ", 0), 0u) << error;
}
