// Hostile clients against the real server (docs/SECURITY.md): uploads are
// authenticated and charged before any body byte touches the disk; every
// per-user quota answers 429 in DRF's shape (RATE_LIMITED on the socket);
// a capture burst stores a frame once and leaves the node's queue to
// others; tokens are stored as digests; security headers are present.

#include <filesystem>
#include <set>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "persistence/digest.hpp"
#include "stack_helpers.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace asio = boost::asio;

namespace {

/// Bytes in regular files below `dir` (0 when it does not exist).
std::uintmax_t bytes_under(const fs::path& dir) {
  std::uintmax_t n = 0;
  if (fs::exists(dir))
    for (auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file())
        n += e.file_size();
  return n;
}

json body_of(const http_reply& r) {
  return json::parse(r.body, nullptr, false);
}

/// Expects a DRF throttling answer.
void expect_throttled(const http_reply& r) {
  EXPECT_EQ(r.status, 429u) << r.body;
  ASSERT_TRUE(r.headers.count("retry-after")) << r.body;
  auto n = std::stoll(r.headers.at("retry-after"));
  EXPECT_GE(n, 1);
  auto unit = n == 1 ? " second." : " seconds.";
  EXPECT_EQ(body_of(r),
            (json{{"detail", "Request was throttled. Expected available in " +
                                 std::to_string(n) + unit}}));
}

class Quotas : public shared_stack_suite<Quotas> {
protected:
  static void SetUpTestSuite() {
    test_stack::options o;
    // Defaults except uploads (small, so a test sends little) and the ops
    // endpoints (restricted, to test the option).
    o.server_env["TRYON_MAX_UPLOAD_SIZE"] = "1048576";
    o.server_env["TRYON_UPLOADS_BURST"] = "3";
    o.server_env["TRYON_UPLOADS_PER_MINUTE"] = "1";
    o.server_env["TRYON_UPLOAD_MB_BURST"] = "2";
    o.server_env["TRYON_UPLOAD_MB_PER_MINUTE"] = "1";
    o.server_env["TRYON_RESULTS_PAGE_DEFAULT"] = "2";
    o.server_env["TRYON_RESULTS_PAGE_MAX"] = "3";
    o.server_env["TRYON_RESTRICT_OPS"] = "1";
    o.server_env["TRYON_MAX_LIVE_SESSIONS_PER_USER"] = "2";
    start_stack(o);
  }
  http_reply call(const std::string& method, const std::string& target,
                  std::vector<std::pair<std::string, std::string>> headers = {},
                  const std::string& body = {}) {
    return http_call(stack_->port(), method, target, headers, body);
  }
  http_reply upload(const test_user& u, const std::string& bytes) {
    auto [ct, body] =
        multipart_form({{"type", "nail_reference"}}, "x.jpg", bytes);
    return call("POST", "/api/try-on/upload/", {u.auth(), {"Content-Type", ct}},
                body);
  }
  http_reply create(const test_user& u, std::int64_t post) {
    return call("POST", "/api/try-on/session/create/",
                {u.auth(), {"Content-Type", "application/json"}},
                json{{"nail_post_id", post}}.dump());
  }
  std::string media() { return stack_->media_root(); }
};

/// A JPEG padded to about `size` bytes (the sniffer reads its head only).
std::string jpeg_of_size(std::size_t size) {
  auto j = make_test_jpeg();
  j.resize(std::max(size, j.size()), '\0');
  return j;
}

} // namespace

TEST_F(Quotas, UnauthenticatedUploadTouchesNoDisk) {
  auto before = bytes_under(media());
  for (const std::string& auth : std::vector<std::string>{
           "", "Token " + std::string(40, 'f'), "Token bad"}) {
    for (bool expect_continue : {false, true}) {
      // Headers announcing ~1 MB (under this stack's upload limit), then
      // half of it; the answer must come
      // while the body is still arriving, and nothing may be on disk.
      asio::io_context ioc;
      asio::ip::tcp::socket sock{ioc};
      sock.connect({asio::ip::make_address("127.0.0.1"),
                    static_cast<unsigned short>(stack_->port())});
      std::string head = "POST /api/try-on/upload/ HTTP/1.1\r\nHost: x\r\n"
                         "Content-Type: multipart/form-data; boundary=XyZ\r\n"
                         "Content-Length: 1000000\r\n";
      if (!auth.empty())
        head += "Authorization: " + auth + "\r\n";
      if (expect_continue)
        head += "Expect: 100-continue\r\n";
      head += "\r\n";
      asio::write(sock, asio::buffer(head));
      if (!expect_continue) {
        std::string part = "--XyZ\r\nContent-Disposition: form-data; "
                           "name=\"file\"; filename=\"a.jpg\"\r\n\r\n" +
                           std::string(512 * 1024, 'x');
        boost::system::error_code ec;
        asio::write(sock, asio::buffer(part), ec); // may be refused midway
      }
      asio::streambuf in;
      boost::system::error_code ec;
      asio::read_until(sock, in, "\r\n\r\n", ec);
      std::string reply{asio::buffers_begin(in.data()),
                        asio::buffers_end(in.data())};
      EXPECT_EQ(reply.rfind("HTTP/1.1 401", 0), 0u)
          << auth << " continue=" << expect_continue << ": " << reply;
      EXPECT_EQ(bytes_under(media()), before)
          << "bytes on disk during an unauthenticated upload";
      EXPECT_EQ(bytes_under(fs::path(media()) / ".tmp"), 0u);
    }
  }
}

TEST_F(Quotas, UploadsAreLimitedInCountAndBytes) {
  auto ann = stack_->make_user("upc");
  auto jpeg = make_test_jpeg();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(upload(ann, jpeg).status, 201u) << i;
  auto before = bytes_under(media());
  expect_throttled(upload(ann, jpeg));
  EXPECT_EQ(bytes_under(media()), before);
  // Bytes: 2 MB a burst; the third ~900 KB upload is over.
  auto bob = stack_->make_user("upb");
  auto big = jpeg_of_size(900 * 1024);
  EXPECT_EQ(upload(bob, big).status, 201u);
  EXPECT_EQ(upload(bob, big).status, 201u);
  expect_throttled(upload(bob, big));
  // Another user is unaffected.
  EXPECT_EQ(upload(stack_->make_user("upo"), jpeg).status, 201u);
}

TEST_F(Quotas, SessionCreationMeets429UnderTheDefaults) {
  auto ann = stack_->make_user("sess");
  auto post = stack_->make_post();
  int created = 0;
  http_reply last;
  for (int i = 0; i < 200; ++i) {
    last = create(ann, post);
    if (last.status != 201u)
      break;
    ++created;
  }
  // The default burst is 60; a few more may refill (30 a minute) while
  // the loop runs.
  EXPECT_GE(created, 60);
  EXPECT_LT(created, 200);
  expect_throttled(last);
  EXPECT_EQ(create(stack_->make_user("sess"), post).status, 201u);
}

TEST_F(Quotas, CaptureBurstStoresOnceAndLeavesTheQueueToOthers) {
  auto ann = stack_->make_user("capb");
  auto c = open_ready(*stack_, ann, stack_->make_session(ann));
  ASSERT_TRUE(c);
  ASSERT_EQ(one_frame(*c, 1).processed, 1);
  for (int i = 0; i < 100; ++i)
    c->send_text(R"({"type":"capture"})");
  int saved = 0, limited = 0, other = 0;
  std::set<std::int64_t> ids;
  while (saved + limited + other < 100) {
    auto m = c->read(10s);
    if (!m)
      break;
    auto [type, code] = kind_of(*m);
    if (type == "frame_saved") {
      ++saved;
      ids.insert(json::parse(m->data)["try_on_id"].get<std::int64_t>());
    } else if (type == "error" && code == "RATE_LIMITED") {
      ++limited;
      EXPECT_EQ(json::parse(m->data)["recoverable"], true);
    } else if (type == "error") {
      ++other;
    }
  }
  EXPECT_EQ(saved + limited, 100) << other << " other errors";
  EXPECT_GT(limited, 0);
  EXPECT_EQ(ids.size(), 1u) << "one frame, one result";
  auto rows = stack_->sql("select count(*) from tryon_results where "
                          "user_id = " +
                          std::to_string(ann.id));
  EXPECT_LE(rows[0][0].as<int>(), 3);
  // Meanwhile another user's capture is saved.
  auto bob = stack_->make_user("capo");
  auto b = open_ready(*stack_, bob, stack_->make_session(bob));
  ASSERT_TRUE(b);
  ASSERT_EQ(one_frame(*b, 1).processed, 1);
  b->send_text(R"({"type":"capture"})");
  EXPECT_TRUE(b->read_type("frame_saved", 10s));
}

TEST_F(Quotas, LiveSessionsPerUserAreBounded) {
  auto ann = stack_->make_user("live");
  auto a = open_ready(*stack_, ann, stack_->make_session(ann));
  auto b = open_ready(*stack_, ann, stack_->make_session(ann));
  ASSERT_TRUE(a && b);
  ws_client third{stack_->port(),
                  "/ws/try-on/" + stack_->make_session(ann) + "/",
                  {ann.auth()}};
  ASSERT_TRUE(third.open());
  auto m = third.read(10s);
  ASSERT_TRUE(m);
  EXPECT_EQ(kind_of(*m),
            (std::pair<std::string, std::string>{"error", "RATE_LIMITED"}));
  while (third.read(5s)) {
  }
  EXPECT_EQ(third.close_code(), 1008u);
  // Closing one frees its place.
  a->close();
  EXPECT_TRUE(eventually(
      [&] {
        auto s = stack_->make_session(ann);
        auto d = open_ready(*stack_, ann, s);
        return d != nullptr;
      },
      5s));
}

TEST_F(Quotas, TokensAreStoredAsDigests) {
  auto ann = stack_->make_user("tok");
  auto rows = stack_->sql("select key_digest from api_tokens where user_id = " +
                          std::to_string(ann.id));
  ASSERT_EQ(rows.size(), 1u);
  auto stored = rows[0][0].as<std::string>();
  EXPECT_NE(stored, ann.token);
  EXPECT_EQ(stored, tryon::persistence::sha256_hex(ann.token));
  auto clear = stack_->sql("select count(*) from api_tokens where key_digest "
                           "= '" +
                           ann.token + "'");
  EXPECT_EQ(clear[0][0].as<int>(), 0);
  // And the clear token still authenticates.
  EXPECT_EQ(call("GET", "/api/try-on/results/", {ann.auth()}).status, 200u);
}

TEST_F(Quotas, SecurityHeaders) {
  auto page = call("GET", "/");
  ASSERT_EQ(page.status, 200u);
  auto csp = page.headers["content-security-policy"];
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  for (auto target : {"/", "/healthz", "/api/try-on/results/", "/nope/x"})
    EXPECT_EQ(call("GET", target).headers["x-content-type-options"], "nosniff")
        << target;
  auto ann = stack_->make_user("hdr");
  auto up = upload(ann, make_test_jpeg());
  ASSERT_EQ(up.status, 201u) << up.body;
  auto url = body_of(up)["url"].get<std::string>();
  auto file = call("GET", url.substr(url.find("/media/")));
  EXPECT_EQ(file.status, 200u);
  EXPECT_EQ(file.headers["cache-control"].rfind("private", 0), 0u)
      << file.headers["cache-control"];
  EXPECT_EQ(file.headers["x-content-type-options"], "nosniff");
}

TEST_F(Quotas, OpsEndpointsOnlyForLoopbackOrStaff) {
  auto direct = call("GET", "/readyz");
  EXPECT_EQ(direct.status, 200u) << direct.body;
  // Through a proxy the peer is not loopback any more.
  std::pair<std::string, std::string> proxied{"X-Forwarded-For", "203.0.113.9"};
  EXPECT_EQ(call("GET", "/readyz", {proxied}).status, 403u);
  EXPECT_EQ(call("GET", "/metrics", {proxied}).status, 403u);
  auto user = stack_->make_user("opsu");
  EXPECT_EQ(call("GET", "/metrics", {proxied, user.auth()}).status, 403u);
  auto staff = stack_->make_user("opss", true);
  EXPECT_EQ(call("GET", "/readyz", {proxied, staff.auth()}).status, 200u);
  EXPECT_EQ(call("GET", "/metrics", {proxied, staff.auth()}).status, 200u);
}

TEST_F(Quotas, ResultsListHasADefaultAndAMaximumPage) {
  auto ann = stack_->make_user("page");
  auto session = stack_->make_session(ann);
  for (int i = 0; i < 5; ++i)
    stack_->sql("insert into tryon_results (session_id, user_id, "
                "processed_image) values ('" +
                session + "', " + std::to_string(ann.id) + ", 'results/x" +
                std::to_string(i) + ".jpg')");
  auto list = [&](const std::string& q) {
    return body_of(call("GET", "/api/try-on/results/" + q, {ann.auth()}))
        .size();
  };
  EXPECT_EQ(list(""), 2u);
  EXPECT_EQ(list("?limit=1"), 1u);
  EXPECT_EQ(list("?limit=1000"), 3u);
}
