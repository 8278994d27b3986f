// The real tryon-ai binary downloading nail references over http:// and
// https:// from one-shot servers: trusted and untrusted certificates,
// bodies over the limit, silent hosts, HTTP statuses, and https downloads
// that do not wait for each other.
#include "ai_service/image_codec.hpp"
#include "ai_service/nail_design.hpp"
#include "local_ca.hpp"
#include "one_shot_server.hpp"
#include "protocol/ai_message.hpp"

#include "service_harness.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

using namespace tryon;
using namespace tryon::ai::test;
using tryon::testing::local_ca;
using tryon::testing::one_shot_answer;
using tryon::testing::one_shot_server;

namespace {

// service_options::max_reference_bytes.
constexpr std::size_t reference_limit = std::size_t{20} << 20;

one_shot_answer design() {
  return {200,
          std::get<std::string>(ai::encode_jpeg(ai::make_demo_design(64), 85))};
}

/// Reads the request, never answers.
one_shot_answer silent() {
  one_shot_answer a;
  a.never_answer = true;
  return a;
}

std::string url(const std::string& scheme, const one_shot_server& s,
                const std::string& target,
                const std::string& host = "127.0.0.1") {
  return scheme + "://" + host + ":" + std::to_string(s.port()) + target;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// A local CA for the https servers, and tryon-ai with a connection to it.
class TryonAiReferences : public ::testing::Test {
protected:
  void SetUp() override { TRYON_REQUIRE_LOCAL_CA(ca_); }

  void TearDown() override {
    if (connected_)
      c_.close();
    if (proc_) {
      EXPECT_EQ(proc_->stop(), 0);
    }
  }

  /// Starts tryon-ai with `args` and connects to it.
  bool start(std::vector<std::string> args) {
    proc_.emplace(std::move(args));
    connected_ = proc_->started() && c_.connect(proc_->port());
    return connected_;
  }

  /// A one-shot https server with the local CA's certificate.
  std::unique_ptr<one_shot_server> https(one_shot_answer answer) {
    return std::make_unique<one_shot_server>(std::move(answer), ca_.cert(),
                                             ca_.key());
  }

  /// Sends init_session for `reference`.
  void send_init(const std::string& session, const std::string& reference) {
    c_.send_text(protocol::ai_init_session(session, reference, std::nullopt));
  }

  /// The next init reply: "" for session_initialized, else the message of
  /// an INIT_FAILED error for `session` (any session when empty).
  std::string init_reply(const std::string& session) {
    auto parsed = protocol::parse_ai_event(c_.read_text());
    const auto* event = std::get_if<protocol::ai_event>(&parsed);
    if (!event)
      return "unparsable reply";
    if (std::holds_alternative<protocol::ai_session_initialized>(*event))
      return "";
    const auto* err = std::get_if<protocol::ai_session_error>(event);
    if (!err)
      return "unexpected reply";
    if (!session.empty()) {
      EXPECT_EQ(err->session_id, session);
    }
    EXPECT_EQ(err->code, "INIT_FAILED");
    return err->message.empty() ? "INIT_FAILED without a message"
                                : err->message;
  }

  /// send_init, then init_reply.
  std::string init(const std::string& session, const std::string& reference) {
    send_init(session, reference);
    return init_reply(session);
  }

  local_ca ca_;
  std::optional<service_process> proc_;
  client c_;
  bool connected_ = false;
};

} // namespace

TEST_F(TryonAiReferences, FetchesHttpReferences) {
  ASSERT_TRUE(start({}));
  {
    one_shot_server server(design());
    EXPECT_EQ(init("s1", url("http", server, "/media/d.jpg")), "");
    EXPECT_EQ(server.target(), "/media/d.jpg");
    EXPECT_EQ(server.header("User-Agent"), "tryon-ai");
    EXPECT_EQ(server.header("Host"),
              "127.0.0.1:" + std::to_string(server.port()));
  }
  // Nothing listens on the (now closed) port.
  const std::string closed =
      "http://127.0.0.1:" + std::to_string(free_port()) + "/x.jpg";
  EXPECT_EQ(init("s2", closed),
            "fetching " + closed + ": connect: Connection refused");
  // A status other than 200; redirects are not followed.
  one_shot_server missing({404, "not here", "text/plain"});
  EXPECT_EQ(init("s3", url("http", missing, "/gone.jpg")),
            "HTTP 404 for " + url("http", missing, "/gone.jpg"));
  one_shot_server moved({302, "", "text/plain"});
  EXPECT_EQ(init("s4", url("http", moved, "/old.jpg")),
            "HTTP 302 for " + url("http", moved, "/old.jpg"));
}

TEST_F(TryonAiReferences, FetchesHttpsReferencesTrustingItsCaFile) {
  ASSERT_TRUE(start({"--ca-file", ca_.ca()}));
  auto server = https(design());
  EXPECT_EQ(init("s1", url("https", *server, "/media/uploads/d.jpg")), "");
  EXPECT_EQ(server->target(), "/media/uploads/d.jpg");
  // By name: SNI and the certificate's DNS name.
  server = https(design());
  EXPECT_EQ(init("s2", url("https", *server, "/n.jpg", "localhost")), "");
  EXPECT_EQ(server->target(), "/n.jpg");
  EXPECT_EQ(server->header("Host"),
            "localhost:" + std::to_string(server->port()));
}

TEST_F(TryonAiReferences, RefusesAnUntrustedCertificate) {
  // Without --ca-file only the system's CAs count: the local CA is not one.
  ASSERT_TRUE(start({}));
  auto server = https(design());
  const std::string reference = url("https", *server, "/x.jpg");
  EXPECT_EQ(init("s1", reference),
            "fetching " + reference +
                ": TLS handshake: certificate verify failed: unable to get "
                "local issuer certificate");
  EXPECT_EQ(server->target(), "");
}

TEST_F(TryonAiReferences, RefusesReferencesOverTheLimit) {
  ASSERT_TRUE(start({"--ca-file", ca_.ca()}));
  one_shot_answer big{200, std::string(reference_limit + 1, 'x')};
  one_shot_answer chunked = big;
  chunked.chunked = true;
  // Content-Length over the limit, or chunks adding up to more than it.
  std::vector<std::pair<std::string, std::unique_ptr<one_shot_server>>> hosts;
  hosts.emplace_back("http", std::make_unique<one_shot_server>(big));
  hosts.emplace_back("http", std::make_unique<one_shot_server>(chunked));
  hosts.emplace_back("https", https(big));
  hosts.emplace_back("https", https(chunked));
  for (const auto& [scheme, server] : hosts) {
    const std::string reference = url(scheme, *server, "/big.jpg");
    EXPECT_EQ(init("s", reference),
              "fetching " + reference + ": larger than the reference limit");
  }
  // Exactly at the limit is fine (it is not an image, though).
  one_shot_server at_limit({200, std::string(reference_limit, 'x')});
  EXPECT_FALSE(contains(init("s", url("http", at_limit, "/ok.jpg")),
                        "larger than the reference limit"));
}

TEST_F(TryonAiReferences, TimesOutSilentHosts) {
  ASSERT_TRUE(start({"--ca-file", ca_.ca(), "--fetch-timeout-ms", "300"}));
  for (const std::string scheme : {"http", "https"}) {
    auto server = scheme == "https"
                      ? https(silent())
                      : std::make_unique<one_shot_server>(silent());
    const std::string reference = url(scheme, *server, "/slow.jpg");
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(init("s-" + scheme, reference),
              "fetching " + reference + ": read: timed out");
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, std::chrono::milliseconds(250)) << scheme;
    EXPECT_LT(took, std::chrono::seconds(5)) << scheme;
  }
}

TEST_F(TryonAiReferences, HttpsDownloadsDoNotWaitForEachOther) {
  ASSERT_TRUE(start({"--ca-file", ca_.ca(), "--fetch-timeout-ms", "3000"}));
  // Three silent hosts first, then one that answers: its answer comes back
  // first, while the silent ones still wait for their deadline.
  std::vector<std::unique_ptr<one_shot_server>> slow;
  for (int i = 0; i < 3; ++i) {
    slow.push_back(https(silent()));
    send_init("slow" + std::to_string(i),
              url("https", *slow.back(), "/slow.jpg"));
  }
  auto fast = https(design());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(init("fast", url("https", *fast, "/fast.jpg")), "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  for (int i = 0; i < 3; ++i) {
    const std::string why = init_reply(""); // in any order
    EXPECT_TRUE(contains(why, "read: timed out")) << why;
  }
}
