#include "persistence/pg_session_store.hpp"

#include <algorithm>

#include "persistence/store_error.hpp"
#include "tests/persistence/pg_fixture.hpp"

using namespace tryon::persistence;

namespace {

class PgSessionStoreTest : public tryon::pgtest::pg_fixture {};

constexpr std::int64_t minute_us = 60'000'000;

} // namespace

TEST_F(PgSessionStoreTest, CreatedSessionRoundTrips) {
  auto alice = make_user();
  auto post = pg_->posts.add_post("http://img.test/a.png", "");
  new_session s;
  s.user_id = alice.id;
  s.nail_reference_post_id = post.id;
  s.nail_reference_url = post.image_url;
  s.source_image_url = "http://media.test/src.jpg";
  s.mode = "upload";
  s.expires_at = 1'900'000'000'123'456; // exact to the microsecond
  auto created = pg_->sessions.create_session(s);
  EXPECT_EQ(created.id.size(), 36u);
  EXPECT_EQ(created.status, "initializing");
  EXPECT_EQ(created.expires_at, s.expires_at);
  EXPECT_NEAR(static_cast<double>(created.created_at),
              static_cast<double>(now_us()), 60e6);
  EXPECT_EQ(created.stats, nlohmann::json::object());
  auto found = pg_->sessions.find_session(created.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, alice.id);
  EXPECT_EQ(found->nail_reference_post_id, post.id);
  EXPECT_EQ(found->nail_reference_url, post.image_url);
  EXPECT_EQ(found->source_image_url, s.source_image_url);
  EXPECT_EQ(found->mode, "upload");
  EXPECT_EQ(found->created_at, created.created_at);
  EXPECT_EQ(found->expires_at, s.expires_at);
}

TEST_F(PgSessionStoreTest, NullColumnsReadAsNullopt) {
  auto s = make_session(make_user().id);
  auto found = pg_->sessions.find_session(s.id);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->nail_reference_post_id);
  EXPECT_FALSE(found->source_image_url);
}

TEST_F(PgSessionStoreTest, UnknownOrMalformedIdsAreNotFound) {
  make_session(make_user().id);
  EXPECT_FALSE(
      pg_->sessions.find_session("00000000-0000-4000-8000-000000000000"));
  EXPECT_FALSE(pg_->sessions.find_session("not-a-uuid"));
  EXPECT_FALSE(pg_->sessions.find_session(""));
  EXPECT_FALSE(pg_->sessions.update_status("nope", "active"));
  EXPECT_FALSE(pg_->sessions.update_stats("nope", {{"a", 1}}));
}

TEST_F(PgSessionStoreTest, UpdatesStatusAndStats) {
  auto s = make_session(make_user().id);
  EXPECT_TRUE(pg_->sessions.update_status(s.id, "active"));
  nlohmann::json stats = {{"frames_received", 10}, {"p95_ms", 12.5}};
  EXPECT_TRUE(pg_->sessions.update_stats(s.id, stats));
  auto found = *pg_->sessions.find_session(s.id);
  EXPECT_EQ(found.status, "active");
  EXPECT_EQ(found.stats, stats);
  EXPECT_GE(found.updated_at, s.updated_at);
}

TEST_F(PgSessionStoreTest, InvalidStatusOrModeIsAnError) {
  auto alice = make_user();
  auto s = make_session(alice.id);
  EXPECT_THROW(pg_->sessions.update_status(s.id, "bogus"), store_error);
  new_session bad;
  bad.user_id = alice.id;
  bad.nail_reference_url = "x";
  bad.mode = "telepathy";
  bad.expires_at = now_us();
  EXPECT_THROW(pg_->sessions.create_session(bad), store_error);
}

TEST_F(PgSessionStoreTest, CompleteExpiredClosesOnlyOpenExpiredSessions) {
  auto alice = make_user();
  auto live = make_session(alice.id, 10 * minute_us);
  auto expired = make_session(alice.id, -minute_us);
  auto paused = make_session(alice.id, -minute_us);
  auto failed = make_session(alice.id, -minute_us);
  pg_->sessions.update_status(paused.id, "paused");
  pg_->sessions.update_status(failed.id, "error");
  auto ids = pg_->sessions.complete_expired(now_us());
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> want{expired.id, paused.id};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(ids, want);
  EXPECT_EQ(pg_->sessions.find_session(live.id)->status, "initializing");
  EXPECT_EQ(pg_->sessions.find_session(expired.id)->status, "completed");
  EXPECT_EQ(pg_->sessions.find_session(failed.id)->status, "error");
  EXPECT_TRUE(pg_->sessions.complete_expired(now_us()).empty());
  // The sweep's clock is the caller's: far enough ahead, "live" expires too.
  EXPECT_EQ(pg_->sessions.complete_expired(now_us() + 20 * minute_us),
            std::vector<std::string>{live.id});
}

TEST_F(PgSessionStoreTest, CountsSessionsByStatus) {
  auto before = pg_->sessions.count_by_status();
  auto alice = make_user();
  auto a = make_session(alice.id, minute_us);
  make_session(alice.id, minute_us);
  auto c = make_session(alice.id, minute_us);
  pg_->sessions.update_status(a.id, "active");
  pg_->sessions.update_status(c.id, "error");
  auto after = pg_->sessions.count_by_status();
  EXPECT_EQ(after["initializing"] - before["initializing"], 1);
  EXPECT_EQ(after["active"] - before["active"], 1);
  EXPECT_EQ(after["error"] - before["error"], 1);
  EXPECT_EQ(after["paused"] - before["paused"], 0);
}

TEST_F(PgSessionStoreTest, ListFiltersByStatusAndUserNewestFirst) {
  auto alice = make_user("alice");
  auto bob = make_user("bob");
  auto a1 = make_session(alice.id);
  auto b1 = make_session(bob.id);
  auto a2 = make_session(alice.id);
  pg_->sessions.update_status(a2.id, "active");
  auto ids = [](const std::vector<session_record>& v) {
    std::vector<std::string> out;
    for (const auto& s : v)
      out.push_back(s.id);
    return out;
  };
  session_filter all;
  EXPECT_EQ(ids(pg_->sessions.list_sessions(all)),
            (std::vector<std::string>{a2.id, b1.id, a1.id}));
  session_filter by_alice;
  by_alice.username = "alice";
  EXPECT_EQ(ids(pg_->sessions.list_sessions(by_alice)),
            (std::vector<std::string>{a2.id, a1.id}));
  session_filter active;
  active.status = "active";
  EXPECT_EQ(ids(pg_->sessions.list_sessions(active)),
            std::vector<std::string>{a2.id});
  session_filter limited;
  limited.limit = 2;
  EXPECT_EQ(ids(pg_->sessions.list_sessions(limited)),
            (std::vector<std::string>{a2.id, b1.id}));
  limited.limit = -1;
  EXPECT_EQ(pg_->sessions.list_sessions(limited).size(), 3u);
  session_filter nobody;
  nobody.username = "nobody";
  EXPECT_TRUE(pg_->sessions.list_sessions(nobody).empty());
}

TEST_F(PgSessionStoreTest, DeletingThePostKeepsTheSession) {
  auto alice = make_user();
  auto post = pg_->posts.add_post("http://img.test/a.png", "");
  new_session s;
  s.user_id = alice.id;
  s.nail_reference_post_id = post.id;
  s.nail_reference_url = post.image_url;
  s.mode = "explore";
  s.expires_at = now_us() + minute_us;
  auto created = pg_->sessions.create_session(s);
  db_->exec("delete from posts where id = " + std::to_string(post.id));
  auto found = pg_->sessions.find_session(created.id);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->nail_reference_post_id);
  EXPECT_EQ(found->nail_reference_url, post.image_url);
}

TEST_F(PgSessionStoreTest, EndAbandonedOnlyEndsLiveUnchangedSessions) {
  auto user = make_user().id;
  auto orphan = make_session(user);
  pg_->sessions.update_status(orphan.id, "active");
  auto seen = pg_->sessions.find_session(orphan.id)->updated_at;
  EXPECT_TRUE(pg_->sessions.end_abandoned(orphan.id, seen));
  EXPECT_EQ(pg_->sessions.find_session(orphan.id)->status, "error");
  EXPECT_FALSE(pg_->sessions.end_abandoned(orphan.id, now_us())); // ended

  // Written after it was seen (a phone reconnected elsewhere): left alone.
  auto moved = make_session(user);
  pg_->sessions.update_status(moved.id, "paused");
  auto before = pg_->sessions.find_session(moved.id)->updated_at;
  pg_->sessions.update_stats(moved.id, nlohmann::json{{"frames", 1}});
  EXPECT_FALSE(pg_->sessions.end_abandoned(moved.id, before));
  EXPECT_EQ(pg_->sessions.find_session(moved.id)->status, "paused");

  // Never connected: not a dead node's session.
  auto fresh = make_session(user);
  EXPECT_FALSE(pg_->sessions.end_abandoned(fresh.id, now_us()));
  EXPECT_EQ(pg_->sessions.find_session(fresh.id)->status, "initializing");
  EXPECT_FALSE(pg_->sessions.end_abandoned("not-a-uuid", now_us()));
}
