// The bench harness's blocking HTTP client over https (the TLS settings it
// shares with net/http_get) against one-shot servers on loopback.
#include "bench/harness/http_client.hpp"
#include "bench/harness/tls_client.hpp"

#include "local_ca.hpp"
#include "one_shot_server.hpp"

#include <gtest/gtest.h>

using namespace tryon;
using tryon::testing::local_ca;
using tryon::testing::one_shot_server;

namespace {

class BenchHttpClient : public ::testing::Test {
protected:
  void SetUp() override { TRYON_REQUIRE_LOCAL_CA(ca_); }

  /// A GET / to `server` over https, verifying `tls_host`.
  bench::http_reply get(const one_shot_server& server,
                        std::shared_ptr<bench::tls_client_context> tls,
                        const std::string& tls_host) {
    bench::http_client client{"127.0.0.1",
                              server.port(),
                              tls_host + ":" + std::to_string(server.port()),
                              std::chrono::seconds(10),
                              std::move(tls),
                              tls_host};
    return client.request("GET", "/", {});
  }

  std::shared_ptr<bench::tls_client_context> trusting(const std::string& ca) {
    std::string error;
    auto ctx = net::make_tls_client_context(ca, error);
    EXPECT_TRUE(ctx) << error;
    return ctx;
  }

  local_ca ca_;
};

} // namespace

TEST_F(BenchHttpClient, SpeaksHttpsByAddressAndByName) {
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    one_shot_server server({200, "ok", "text/plain"}, ca_.cert(), ca_.key());
    auto r = get(server, trusting(ca_.ca()), host);
    EXPECT_EQ(r.error, "") << host;
    EXPECT_EQ(r.status, 200u) << host;
    EXPECT_EQ(r.body, "ok");
    EXPECT_EQ(server.header("User-Agent"), "tryon-bench");
  }
}

TEST_F(BenchHttpClient, RefusesAnUntrustedCertificate) {
  one_shot_server server({200, "ok", "text/plain"}, ca_.cert(), ca_.key());
  auto r = get(server, trusting(""), "127.0.0.1"); // the system's CAs
  EXPECT_EQ(r.status, 0u);
  EXPECT_EQ(r.error, "TLS handshake: certificate verify failed: unable to "
                     "get local issuer certificate");
}

TEST_F(BenchHttpClient, RefusesACertificateForAnotherName) {
  one_shot_server server({200, "ok", "text/plain"}, ca_.cert(), ca_.key());
  auto r = get(server, trusting(ca_.ca()), "tryon.invalid");
  EXPECT_EQ(r.status, 0u);
  EXPECT_EQ(r.error,
            "TLS handshake: certificate verify failed: hostname mismatch");
}
