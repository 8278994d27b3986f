// Authentication's cost for bad tokens, the quotas' 429 shape and the
// results page bound, on the REST layer with in-memory stores.

#include <gtest/gtest.h>

#include "net/rest/auth_cache.hpp"
#include "net/rest/quotas.hpp"
#include "net/rest/rest_api.hpp"
#include "persistence/file_media_store.hpp"
#include "tests/fakes/fake_database.hpp"
#include "tests/fakes/temp_dir.hpp"

using namespace tryon;
using namespace std::chrono_literals;

namespace {

/// Counts token lookups (each one a database query in production).
class counting_users final : public persistence::user_store {
public:
  explicit counting_users(persistence::user_store& inner) : inner_(inner) {}
  std::optional<persistence::user>
  find_by_token(const std::string& key) override {
    ++lookups;
    return inner_.find_by_token(key);
  }
  std::optional<persistence::user> find_by_id(std::int64_t id) override {
    return inner_.find_by_id(id);
  }
  persistence::user create_user(const std::string& n, bool staff) override {
    return inner_.create_user(n, staff);
  }
  std::optional<std::string> issue_token(const std::string& n) override {
    return inner_.issue_token(n);
  }
  bool revoke_token(const std::string& key) override {
    return inner_.revoke_token(key);
  }
  int lookups = 0;

private:
  persistence::user_store& inner_;
};

class RestAuth : public ::testing::Test {
protected:
  net::http_request get(const std::string& target, const std::string& token) {
    net::http_request r;
    r.method = "GET";
    r.target = target;
    net::split_target(r);
    if (!token.empty())
      r.headers.emplace_back("authorization", "Token " + token);
    return r;
  }

  config::server_config cfg_;
  fakes::fake_database db_;
  counting_users users_{db_.users};
  fakes::temp_dir dir_;
  persistence::file_media_store media_{dir_.path(), ""};
  net::rest::rest_context ctx_{
      cfg_,         users_,      db_.posts, db_.uploads,
      db_.sessions, db_.results, media_,    nullptr,
      {},           {},          {}};
};

} // namespace

TEST_F(RestAuth, MissingOrMalformedTokensCostNoLookup) {
  for (const std::string& bad :
       std::vector<std::string>{"", "short", std::string(40, 'Z'),
                                std::string(41, 'a'), std::string(4000, 'a')}) {
    auto out = net::rest::authenticate(ctx_, get("/x", bad));
    auto* res = std::get_if<net::http_response>(&out);
    ASSERT_NE(res, nullptr) << bad;
    EXPECT_EQ(res->status, 401u);
  }
  EXPECT_EQ(users_.lookups, 0);
}

TEST_F(RestAuth, UnknownTokensAreRememberedBriefly) {
  std::string unknown(40, 'a');
  for (int i = 0; i < 50; ++i)
    EXPECT_TRUE(std::holds_alternative<net::http_response>(
        net::rest::authenticate(ctx_, get("/x", unknown))));
  EXPECT_EQ(users_.lookups, 1); // one query for fifty attempts
  auto good = db_.users.add_user_with_token("ann");
  auto out = net::rest::authenticate(ctx_, get("/x", good));
  ASSERT_TRUE(std::holds_alternative<persistence::user>(out));
  EXPECT_EQ(users_.lookups, 2);
}

TEST(UnknownTokenCache, ExpiresAndStaysBounded) {
  net::rest::unknown_token_cache cache{1000ms, 3};
  auto t0 = net::rest::unknown_token_cache::clock::now();
  cache.remember("a", t0);
  EXPECT_TRUE(cache.known_bad("a", t0 + 999ms));
  EXPECT_FALSE(cache.known_bad("a", t0 + 1001ms));
  for (auto k : {"b", "c", "d", "e"})
    cache.remember(k, t0);
  EXPECT_LE(cache.size(), 3u);
  EXPECT_TRUE(cache.known_bad("e", t0));
  EXPECT_FALSE(cache.known_bad("b", t0)); // the oldest went first
}

TEST(Throttled, HasDrfShapeAndRetryAfter) {
  auto res = net::rest::throttled(2.2);
  EXPECT_EQ(res.status, 429u);
  EXPECT_EQ(nlohmann::json::parse(res.body),
            (nlohmann::json{{"detail", "Request was throttled. Expected "
                                       "available in 3 seconds."}}));
  ASSERT_EQ(res.headers.size(), 1u);
  EXPECT_EQ(res.headers[0],
            (std::pair<std::string, std::string>{"Retry-After", "3"}));
  EXPECT_EQ(nlohmann::json::parse(net::rest::throttled(0.3).body)["detail"],
            "Request was throttled. Expected available in 1 second.");
}

TEST_F(RestAuth, SessionCreationIsThrottledPerUser) {
  persistence::local_rate_limiter limiter;
  ctx_.limiter = &limiter;
  cfg_.sessions_burst = 3;
  cfg_.sessions_per_minute = 1;
  auto ann = db_.users.create_user("ann", false);
  auto bob = db_.users.create_user("bob", false);
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(net::rest::charge_session_create(ctx_, ann.id)) << i;
  auto res = net::rest::charge_session_create(ctx_, ann.id);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429u);
  EXPECT_FALSE(net::rest::charge_session_create(ctx_, bob.id));
  cfg_.sessions_per_minute = 0; // 0 lifts the limit
  EXPECT_FALSE(net::rest::charge_session_create(ctx_, ann.id));
}
