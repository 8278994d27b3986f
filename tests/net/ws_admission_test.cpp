// The WebSocket admission decision (net/ws_admission.hpp) without Beast or
// PostgreSQL: in-memory stores, a counting live-session limiter and an
// attach callback standing in for the session gateway.

#include <gtest/gtest.h>

#include "net/ws_admission.hpp"
#include "persistence/file_media_store.hpp"
#include "persistence/live_session_limiter.hpp"
#include "protocol/close_codes.hpp"
#include "tests/fakes/fake_database.hpp"
#include "tests/fakes/temp_dir.hpp"

using namespace tryon;
namespace close_code = protocol::close_code;

namespace {

/// An inbox nothing is fed to: the decision only hands it over.
class idle_inbox final : public actors::client_inbox {
public:
  void on_text(std::string) override {}
  void on_binary(std::string) override {}
  void on_oversized(std::size_t) override {}
  void on_frame_written() override {}
  void on_closed() override {}
  actors::inbound_counters& counters() override { return counters_; }

private:
  actors::inbound_counters counters_;
};

/// Counts session lookups (each one a database query in production).
class counting_sessions final : public persistence::session_store {
public:
  explicit counting_sessions(persistence::session_store& inner)
    : inner_(inner) {}
  persistence::session_record
  create_session(const persistence::new_session& s) override {
    return inner_.create_session(s);
  }
  std::optional<persistence::session_record>
  find_session(const std::string& id) override {
    ++lookups;
    return inner_.find_session(id);
  }
  bool update_status(const std::string& id, const std::string& s) override {
    return inner_.update_status(id, s);
  }
  bool update_stats(const std::string& id, const nlohmann::json& j) override {
    return inner_.update_stats(id, j);
  }
  std::vector<std::string> complete_expired(persistence::epoch_us t) override {
    return inner_.complete_expired(t);
  }
  bool end_abandoned(const std::string& id, persistence::epoch_us t) override {
    return inner_.end_abandoned(id, t);
  }
  std::map<std::string, std::int64_t> count_by_status() override {
    return inner_.count_by_status();
  }
  std::vector<persistence::session_record>
  list_sessions(const persistence::session_filter& f) override {
    return inner_.list_sessions(f);
  }
  int lookups = 0;

private:
  persistence::session_store& inner_;
};

class WsAdmission : public ::testing::Test {
protected:
  void SetUp() override {
    cfg_.max_live_sessions_per_user = 2;
    ctx_.live_sessions = &live_;
    ann_token_ = db_.users.add_user_with_token("ann");
    bob_token_ = db_.users.add_user_with_token("bob");
    ann_id_ = db_.users.find_by_username("ann")->id;
  }

  std::string new_session(std::int64_t user_id, persistence::epoch_us ttl) {
    persistence::new_session s;
    s.user_id = user_id;
    s.mode = "explore";
    s.nail_reference_url = "http://127.0.0.1/media/n.jpg";
    s.expires_at = persistence::now_us() + ttl;
    return db_.sessions.create_session(s).id;
  }

  net::ws_admission admit(const std::string& session_id,
                          const std::string& token, bool in_query = false) {
    net::ws_upgrade up;
    up.session_id = session_id;
    up.target = "/ws/try-on/" + session_id + "/";
    if (in_query)
      up.target += "?token=" + token;
    else if (!token.empty())
      up.authorization = "Token " + token;
    return net::admit_ws(ctx_, up, [this](const actors::session_info& info) {
      attached.push_back(info.id);
      return gateway_open ? std::make_shared<idle_inbox>() : nullptr;
    });
  }

  static constexpr persistence::epoch_us hour = 3'600'000'000;

  config::server_config cfg_;
  fakes::fake_database db_;
  counting_sessions sessions_{db_.sessions};
  fakes::temp_dir dir_;
  persistence::file_media_store media_{dir_.path(), ""};
  persistence::local_live_session_limiter live_;
  net::rest::rest_context ctx_{cfg_,      db_.users,   db_.posts, db_.uploads,
                               sessions_, db_.results, media_,    nullptr,
                               {},        {},          {}};
  std::string ann_token_, bob_token_;
  std::int64_t ann_id_ = 0;
  std::vector<std::string> attached;
  bool gateway_open = true;
};

} // namespace

TEST_F(WsAdmission, OwnerWithAValidTokenIsAttached) {
  auto id = new_session(ann_id_, hour);
  for (bool in_query : {false, true}) {
    auto d = admit(id, ann_token_, in_query);
    EXPECT_EQ(d.close_code, 0);
    ASSERT_TRUE(d.info);
    EXPECT_EQ(d.info->id, id);
    EXPECT_EQ(d.info->user_id, ann_id_);
    EXPECT_EQ(d.info->mode, "explore");
    EXPECT_NE(d.inbox, nullptr);
    EXPECT_FALSE(d.error);
    EXPECT_TRUE(d.holds_live_slot);
  }
  EXPECT_EQ(attached, (std::vector<std::string>{id, id}));
}

TEST_F(WsAdmission, NoOrUnknownTokenIs4001WithoutASessionQuery) {
  auto id = new_session(ann_id_, hour);
  for (const std::string& token :
       {std::string{}, std::string(40, 'f'), std::string{"not-a-token"}}) {
    auto d = admit(id, token);
    EXPECT_EQ(d.close_code, close_code::unauthorized) << token;
    EXPECT_FALSE(d.info);
    EXPECT_EQ(d.inbox, nullptr);
    EXPECT_FALSE(d.holds_live_slot);
  }
  EXPECT_EQ(sessions_.lookups, 0);
  EXPECT_TRUE(attached.empty());
}

TEST_F(WsAdmission, UnknownOrMalformedSessionIs4004) {
  EXPECT_EQ(
      admit("00000000-0000-4000-8000-000000000000", ann_token_).close_code,
      close_code::not_found);
  EXPECT_EQ(sessions_.lookups, 1);
  // Not a canonical UUID: refused without a query.
  EXPECT_EQ(admit("../etc/passwd", ann_token_).close_code,
            close_code::not_found);
  EXPECT_EQ(admit("00000000000040008000000000000000", ann_token_).close_code,
            close_code::not_found);
  EXPECT_EQ(sessions_.lookups, 1);
  EXPECT_TRUE(attached.empty());
}

TEST_F(WsAdmission, AnotherUsersSessionIs4003) {
  auto id = new_session(ann_id_, hour);
  auto d = admit(id, bob_token_);
  EXPECT_EQ(d.close_code, close_code::forbidden);
  EXPECT_FALSE(d.info);
  EXPECT_FALSE(d.error);
  EXPECT_TRUE(attached.empty());
}

TEST_F(WsAdmission, ExpiredSessionIs4008WithSessionExpired) {
  auto id = new_session(ann_id_, -1);
  auto d = admit(id, ann_token_);
  EXPECT_EQ(d.close_code, close_code::expired);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(*d.error, protocol::error_code::session_expired);
  EXPECT_FALSE(d.info);
  EXPECT_FALSE(d.holds_live_slot);
  EXPECT_TRUE(attached.empty());
}

TEST_F(WsAdmission, LiveSessionsOverTheLimitAre1008RateLimited) {
  auto a = new_session(ann_id_, hour);
  auto b = new_session(ann_id_, hour);
  auto c = new_session(ann_id_, hour);
  EXPECT_EQ(admit(a, ann_token_).close_code, 0);
  EXPECT_EQ(admit(b, ann_token_).close_code, 0);
  // A reconnect of a live session takes no second slot.
  EXPECT_EQ(admit(a, ann_token_).close_code, 0);
  auto d = admit(c, ann_token_);
  EXPECT_EQ(d.close_code, close_code::policy_violation);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(*d.error, protocol::error_code::rate_limited);
  EXPECT_FALSE(d.info);
  EXPECT_FALSE(d.holds_live_slot);
  EXPECT_EQ(attached.size(), 3u); // c never reached the gateway
  // Once one ends, the third gets in.
  live_.release(ann_id_, a);
  EXPECT_EQ(admit(c, ann_token_).close_code, 0);
}

TEST_F(WsAdmission, StoppingNodeIs1012AndGivesTheSlotBack) {
  cfg_.max_live_sessions_per_user = 1;
  auto a = new_session(ann_id_, hour);
  auto b = new_session(ann_id_, hour);
  gateway_open = false;
  auto d = admit(a, ann_token_);
  EXPECT_EQ(d.close_code, close_code::service_restart);
  ASSERT_TRUE(d.info); // the access log still names the user
  EXPECT_EQ(d.inbox, nullptr);
  EXPECT_FALSE(d.holds_live_slot);
  gateway_open = true;
  // The slot a took was released: b fits under a limit of one.
  EXPECT_EQ(admit(b, ann_token_).close_code, 0);
}

TEST_F(WsAdmission, StoreFailureIs1011) {
  auto id = new_session(ann_id_, hour);
  db_.sessions.set_failing(true);
  auto d = admit(id, ann_token_);
  EXPECT_EQ(d.close_code, close_code::internal_error);
  EXPECT_FALSE(d.info);
  EXPECT_FALSE(d.holds_live_slot);
  EXPECT_TRUE(attached.empty());
}

TEST_F(WsAdmission, NoLimiterOrLimitZeroMeansNoSlot) {
  auto id = new_session(ann_id_, hour);
  cfg_.max_live_sessions_per_user = 0;
  auto d = admit(id, ann_token_);
  EXPECT_EQ(d.close_code, 0);
  EXPECT_FALSE(d.holds_live_slot);
  ctx_.live_sessions = nullptr;
  cfg_.max_live_sessions_per_user = 2;
  EXPECT_FALSE(admit(id, ann_token_).holds_live_slot);
}
