// The REST half of PROTOCOL.md section 2 against the real server binary,
// over real HTTP on 127.0.0.1, with a real PostgreSQL behind it.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "real_parts.hpp"
#include "test_stack.hpp"

using nlohmann::json;
using namespace tryon::testing;

namespace {

class RestApi : public shared_stack_suite<RestApi> {
protected:
  static void SetUpTestSuite() {
    test_stack::options o;
    o.server_env["TRYON_MAX_UPLOAD_SIZE"] = "65536";
    start_stack(o);
  }
  void prepare() override {
    alice_ = stack_->make_user("alice");
    bob_ = stack_->make_user("bob");
  }
  http_reply call(const std::string& method, const std::string& target,
                  std::vector<std::pair<std::string, std::string>> headers = {},
                  const std::string& body = {}) {
    auto r = http_call(stack_->port(), method, target, headers, body);
    record(method, target, r);
    return r;
  }
  // Every response a test receives is checked against the published REST
  // description (docs/api/openapi.yaml) when the test ends.
  void record(const std::string& method, const std::string& target,
              const http_reply& r) {
    auto ct = r.headers.count("content-type") ? r.headers.at("content-type")
                                              : std::string{};
    bool is_json = ct.rfind("application/json", 0) == 0;
    responses_.push_back({{"method", method},
                          {"target", target},
                          {"status", r.status},
                          {"content_type", ct},
                          {"body", is_json ? r.body : std::string{}}});
  }
  void TearDown() override {
    if (responses_.empty())
      return;
    check_against_openapi(responses_);
  }
  static void check_against_openapi(const json& responses) {
    namespace fs = std::filesystem;
    const fs::path src{TRYON_SOURCE_DIR};
    TRYON_REQUIRE_REAL_PART(
        fs::exists(src / "tests/api/node_modules/ajv/package.json"),
        "tests/api/node_modules (scripts/test installs it with npm ci) to "
        "check responses against docs/api/openapi.yaml");
    std::string node_path;
    std::stringstream path_list{std::getenv("PATH") ? std::getenv("PATH")
                                                    : "/usr/bin:/bin"};
    for (std::string d; std::getline(path_list, d, ':') && node_path.empty();)
      if (!d.empty() && ::access((fs::path{d} / "node").c_str(), X_OK) == 0)
        node_path = (fs::path{d} / "node").string();
    TRYON_REQUIRE_REAL_PART(!node_path.empty(),
                            "node (Debian package nodejs) to check "
                            "responses against docs/api/openapi.yaml");
    auto dir = fs::temp_directory_path();
    auto stem = "tryon-rest-responses-" + std::to_string(::getpid());
    auto records = dir / (stem + ".json");
    auto log = dir / (stem + ".log");
    std::ofstream(records) << responses.dump(-1, ' ', false,
                                             json::error_handler_t::replace);
    child_process node{
        {node_path, (src / "tests/api/check_responses.mjs").string(),
         (src / "docs/api/openapi.yaml").string(), records.string()},
        {},
        log.string()};
    auto rc = node.wait(std::chrono::seconds(60));
    EXPECT_EQ(rc, std::optional<int>{0})
        << "responses do not match docs/api/openapi.yaml (node exit "
        << (rc ? std::to_string(*rc) : std::string{"none"}) << "):\n"
        << node.log();
    fs::remove(records);
    fs::remove(log);
  }
  http_reply create(const test_user& u, const json& body) {
    return call("POST", "/api/try-on/session/create/",
                {u.auth(), {"Content-Type", "application/json"}}, body.dump());
  }
  http_reply upload(const test_user& u, const std::string& type,
                    const std::string& bytes,
                    const std::string& name = "x.jpg") {
    std::vector<std::pair<std::string, std::string>> fields;
    if (!type.empty())
      fields.emplace_back("type", type);
    auto [ct, body] = multipart_form(fields, name, bytes);
    return call("POST", "/api/try-on/upload/", {u.auth(), {"Content-Type", ct}},
                body);
  }
  std::size_t files_under(const std::string& rel) {
    std::size_t n = 0;
    auto dir = stack_->media_root() + "/" + rel;
    if (std::filesystem::exists(dir))
      for (auto& e : std::filesystem::recursive_directory_iterator(dir))
        n += e.is_regular_file() ? 1 : 0;
    return n;
  }

  test_user alice_, bob_;
  json responses_ = json::array();
};

json body_of(const http_reply& r) {
  return json::parse(r.body, nullptr, false);
}

} // namespace

TEST_F(RestApi, HealthzAndReadyz) {
  auto h = call("GET", "/healthz");
  EXPECT_EQ(h.status, 200u);
  EXPECT_EQ(body_of(h)["status"], "ok");
  auto r = call("GET", "/readyz");
  auto b = body_of(r);
  EXPECT_EQ(b["checks"]["postgresql"], "ok") << r.body;
  EXPECT_EQ(b["checks"]["redis"], "ok") << r.body;
  EXPECT_TRUE(b["checks"].contains("ai_service")) << r.body;
}

TEST_F(RestApi, MissingOrUnknownTokenIs401) {
  auto r = call("POST", "/api/try-on/session/create/", {}, "{}");
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(body_of(r)["detail"],
            "Authentication credentials were not provided.");
  r = call("GET", "/api/try-on/results/", {{"Authorization", "Token nope"}});
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(body_of(r)["detail"], "Invalid token.");
  r = call("GET", "/api/try-on/results/",
           {{"Authorization", "Bearer " + alice_.token}});
  EXPECT_EQ(r.status, 200u);
}

TEST_F(RestApi, CreateExploreSessionAndReadIt) {
  auto post = stack_->make_post();
  auto r = create(alice_, {{"nail_post_id", post}});
  ASSERT_EQ(r.status, 201u) << r.body;
  auto b = body_of(r);
  std::string id = b["session_id"];
  EXPECT_EQ(id.size(), 36u);
  EXPECT_NE(b["expires_at"].get<std::string>().find('T'), std::string::npos);
  auto d = call("GET", "/api/try-on/session/" + id + "/", {alice_.auth()});
  ASSERT_EQ(d.status, 200u) << d.body;
  auto s = body_of(d);
  EXPECT_EQ(s["session_id"], id);
  EXPECT_EQ(s["status"], "initializing");
  EXPECT_EQ(s["mode"], "explore");
  EXPECT_NE(
      s["nail_reference_url"].get<std::string>().find("/media/posts/demo.jpg"),
      std::string::npos);
  for (auto* f : {"created_at", "updated_at", "expires_at", "stats"})
    EXPECT_TRUE(s.contains(f)) << f;
  // Another user's session, a missing one and a malformed id: 404.
  EXPECT_EQ(
      call("GET", "/api/try-on/session/" + id + "/", {bob_.auth()}).status,
      404u);
  EXPECT_EQ(call("GET",
                 "/api/try-on/session/00000000-0000-4000-8000-000000000000/",
                 {alice_.auth()})
                .status,
            404u);
  EXPECT_EQ(
      call("GET", "/api/try-on/session/not-a-uuid/", {alice_.auth()}).status,
      404u);
}

TEST_F(RestApi, CreateRejectsBadInput) {
  EXPECT_EQ(create(alice_, {{"nail_post_id", 999999999}}).status, 400u);
  EXPECT_TRUE(
      body_of(create(alice_, {{"nail_post_id", 999999999}})).contains("error"));
  EXPECT_EQ(create(alice_, json::object()).status, 400u);
  EXPECT_EQ(create(alice_, {{"nail_post_id", "abc"}}).status, 400u);
  EXPECT_EQ(
      create(alice_, {{"nail_reference_url", "http://evil.example/x.jpg"}})
          .status,
      400u);
  auto r =
      call("POST", "/api/try-on/session/create/",
           {alice_.auth(), {"Content-Type", "application/json"}}, "{not json");
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(body_of(r).is_object());
  r = call("POST", "/api/try-on/session/create/",
           {alice_.auth(), {"Content-Type", "application/json"}}, "[1,2]");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(call("GET", "/api/try-on/session/create/", {alice_.auth()}).status,
            405u);
}

TEST_F(RestApi, UserIdOnlyCountsForStaff) {
  auto post = stack_->make_post();
  auto r = create(alice_, {{"nail_post_id", post}, {"user_id", bob_.id}});
  ASSERT_EQ(r.status, 201u);
  std::string id = body_of(r)["session_id"];
  EXPECT_EQ(
      call("GET", "/api/try-on/session/" + id + "/", {alice_.auth()}).status,
      200u);
  EXPECT_EQ(
      call("GET", "/api/try-on/session/" + id + "/", {bob_.auth()}).status,
      404u);
  auto staff = stack_->make_user("staff", true);
  r = create(staff, {{"nail_post_id", post}, {"user_id", bob_.id}});
  ASSERT_EQ(r.status, 201u);
  id = body_of(r)["session_id"];
  EXPECT_EQ(
      call("GET", "/api/try-on/session/" + id + "/", {bob_.auth()}).status,
      200u);
  EXPECT_EQ(
      create(staff, {{"nail_post_id", post}, {"user_id", 987654321}}).status,
      400u);
}

TEST_F(RestApi, UploadStoresRealImagesAndServesThem) {
  auto jpeg = make_test_jpeg();
  auto r = upload(alice_, "nail_reference", jpeg);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto b = body_of(r);
  EXPECT_EQ(b["type"], "nail_reference");
  std::string url = b["url"];
  auto path = url.substr(url.find("/media/"));
  auto m = call("GET", path);
  EXPECT_EQ(m.status, 200u);
  EXPECT_EQ(m.headers["content-type"], "image/jpeg");
  EXPECT_EQ(m.body, jpeg);
  // The URL works as an upload-mode reference for its owner only.
  auto s = create(alice_, {{"nail_reference_url", url}});
  ASSERT_EQ(s.status, 201u) << s.body;
  auto d = body_of(call("GET",
                        "/api/try-on/session/" +
                            body_of(s)["session_id"].get<std::string>() + "/",
                        {alice_.auth()}));
  EXPECT_EQ(d["mode"], "upload");
  EXPECT_EQ(create(bob_, {{"nail_reference_url", url}}).status, 400u);
  // A nail_reference URL is not a source image.
  EXPECT_EQ(
      create(alice_, {{"nail_reference_url", url}, {"source_image_url", url}})
          .status,
      400u);
}

TEST_F(RestApi, UploadRejectsBadInputAndLeavesNothingBehind) {
  auto before = files_under("uploads") + files_under(".tmp");
  auto r = upload(alice_, "", make_test_jpeg());
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_of(r)["error"], "Missing file or type");
  auto [ct, body] = multipart_form({{"type", "nail_reference"}}, "", "");
  r = call("POST", "/api/try-on/upload/", {alice_.auth(), {"Content-Type", ct}},
           body);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(body_of(r)["error"], "Missing file or type");
  EXPECT_EQ(upload(alice_, "../../etc", make_test_jpeg()).status, 400u);
  EXPECT_EQ(
      upload(alice_, "nail_reference", "just some text, named .jpg").status,
      415u);
  EXPECT_EQ(upload(alice_, "nail_reference", std::string(70000, '\xff')).status,
            413u);
  std::string big = make_test_jpeg();
  big += std::string(200000, '\0');
  EXPECT_EQ(upload(alice_, "nail_reference", big).status, 413u);
  EXPECT_EQ(upload(bob_, "nail_reference", make_test_jpeg()).status, 201u);
  EXPECT_EQ(files_under("uploads") + files_under(".tmp"), before + 1);
  r = call("POST", "/api/try-on/upload/", {{"Content-Type", ct}}, body);
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(call("GET", "/api/try-on/upload/", {alice_.auth()}).status, 405u);
}

TEST_F(RestApi, MediaNeverEscapesItsRoot) {
  for (auto* p : {"/media/../../../etc/passwd",
                  "/media/%2e%2e/%2e%2e/etc/passwd", "/media/posts/../../x",
                  "/media/.tmp/x", "/media/nope.jpg", "/media/posts%00.jpg"}) {
    auto status = call("GET", p).status;
    EXPECT_TRUE(status == 404 || status == 400) << p << " -> " << status;
  }
  EXPECT_EQ(call("GET", "/media/posts/demo.jpg").headers["content-type"],
            "image/jpeg");
}

TEST_F(RestApi, ResultsAreOwnedOrderedAndSliced) {
  auto session = stack_->make_session(alice_);
  auto bob_session = stack_->make_session(bob_);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    tryon::persistence::result_record r;
    r.session_id = session;
    r.user_id = alice_.id;
    r.processed_image = "results/r" + std::to_string(i) + ".jpg";
    r.thumbnail = "results/r" + std::to_string(i) + "_thumb.jpg";
    r.confidence_score = 0.5 + i * 0.1;
    r.metadata = {{"sequence", i}};
    ids.push_back(stack_->db().results.add_result(r).id);
  }
  tryon::persistence::result_record other;
  other.session_id = bob_session;
  other.user_id = bob_.id;
  other.processed_image = "results/bob.jpg";
  auto bob_id = stack_->db().results.add_result(other).id;

  auto list = body_of(call("GET", "/api/try-on/results/", {alice_.auth()}));
  ASSERT_TRUE(list.is_array());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["id"], ids[2]);
  for (auto* f : {"id", "session", "nail_reference_post", "processed_image",
                  "thumbnail", "created_at", "confidence_score", "metadata"})
    EXPECT_TRUE(list[0].contains(f)) << f;
  EXPECT_NE(list[0]["processed_image"].get<std::string>().find(
                "/media/results/r2.jpg"),
            std::string::npos);
  auto page = body_of(
      call("GET", "/api/try-on/results/?limit=2&offset=1", {alice_.auth()}));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0]["id"], ids[1]);
  EXPECT_EQ(call("GET", "/api/try-on/results/?limit=x", {alice_.auth()}).status,
            400u);
  auto one = call("GET", "/api/try-on/results/" + std::to_string(ids[0]) + "/",
                  {alice_.auth()});
  EXPECT_EQ(one.status, 200u);
  EXPECT_EQ(body_of(one)["session"], session);
  EXPECT_EQ(call("GET", "/api/try-on/results/" + std::to_string(bob_id) + "/",
                 {alice_.auth()})
                .status,
            404u);
  auto post = call("POST", "/api/try-on/results/", {alice_.auth()}, "{}");
  EXPECT_EQ(post.status, 405u);
  EXPECT_NE(post.headers["allow"].find("GET"), std::string::npos);
  EXPECT_EQ(call("DELETE",
                 "/api/try-on/results/" + std::to_string(ids[0]) + "/",
                 {alice_.auth()})
                .status,
            405u);
  EXPECT_EQ(call("OPTIONS", "/api/try-on/results/", {alice_.auth()}).status,
            200u);
  auto head = call("HEAD", "/api/try-on/results/", {alice_.auth()});
  EXPECT_EQ(head.status, 200u);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(RestApi, UnknownPathsAndMalformedRequests) {
  auto r = call("GET", "/api/nope/");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(body_of(r)["detail"], "Not found.");
  EXPECT_NE(raw_exchange(stack_->port(), "GARBAGE\r\n\r\n").find("400"),
            std::string::npos);
  std::string huge =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') +
      "\r\n\r\n";
  EXPECT_NE(raw_exchange(stack_->port(), huge).find("431"), std::string::npos);
  // A body over the limit is refused from its Content-Length, unread.
  auto big_body = raw_exchange(
      stack_->port(), "POST /api/try-on/session/create/ HTTP/1.1\r\nHost: x\r\n"
                      "Authorization: Token " +
                          alice_.token +
                          "\r\nContent-Type: application/json\r\n"
                          "Content-Length: 2097152\r\n\r\n{");
  EXPECT_NE(big_body.find("413"), std::string::npos) << big_body;
  // Still serving after all of that.
  EXPECT_EQ(call("GET", "/healthz").status, 200u);
}

TEST_F(RestApi, StatsAreForStaffOnly) {
  EXPECT_EQ(call("GET", "/api/try-on/stats/").status, 401u);
  EXPECT_EQ(call("GET", "/api/try-on/stats/", {alice_.auth()}).status, 403u);
  auto staff = stack_->make_user("staff", true);
  auto r = call("GET", "/api/try-on/stats/", {staff.auth()});
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(body_of(r).is_object());
}
