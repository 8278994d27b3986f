#include <gtest/gtest.h>

#include "persistence/file_media_store.hpp"
#include "tests/fakes/failing_media_store.hpp"
#include "tests/fakes/fake_database.hpp"
#include "tests/fakes/temp_dir.hpp"

using namespace tryon;
using persistence::store_error;

TEST(FakeStoresTest, UsersAndTokensBehaveLikeTheRealStore) {
  fakes::fake_database db;
  auto key = db.users.add_user_with_token("alice", true);
  EXPECT_EQ(key.size(), 40u);
  auto u = db.users.find_by_token(key);
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->is_staff);
  try {
    db.users.create_user("alice", false);
    FAIL();
  } catch (const store_error& e) {
    EXPECT_TRUE(e.conflict());
  }
  db.users.deactivate(u->id);
  EXPECT_FALSE(db.users.find_by_token(key));
  EXPECT_FALSE(db.users.issue_token("nobody"));
}

TEST(FakeStoresTest, SessionsExpireAndListNewestFirst) {
  fakes::fake_database db;
  auto alice = db.users.create_user("alice", false);
  persistence::new_session s;
  s.user_id = alice.id;
  s.mode = "explore";
  s.expires_at = persistence::now_us() - 1;
  auto old = db.sessions.create_session(s);
  s.expires_at = persistence::now_us() + 60'000'000;
  auto fresh = db.sessions.create_session(s);
  EXPECT_EQ(db.sessions.complete_expired(persistence::now_us()),
            std::vector<std::string>{old.id});
  EXPECT_EQ(db.sessions.find_session(old.id)->status, "completed");
  persistence::session_filter f;
  f.username = "alice";
  auto listed = db.sessions.list_sessions(f);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, fresh.id);
  EXPECT_THROW(db.sessions.update_status(fresh.id, "bogus"), store_error);
  auto counts = db.sessions.count_by_status();
  EXPECT_EQ(counts["completed"], 1);
  EXPECT_EQ(counts["initializing"], 1);
  EXPECT_EQ(counts.count("active"), 0u);
}

TEST(FakeStoresTest, ResultsPageNewestFirst) {
  fakes::fake_result_store results;
  persistence::result_record r;
  r.user_id = 7;
  auto a = results.add_result(r);
  auto b = results.add_result(r);
  auto c = results.add_result(r);
  auto page = results.list_results(7, 2, 1);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, b.id);
  EXPECT_EQ(page[1].id, a.id);
  EXPECT_FALSE(results.find_result(8, c.id));
}

TEST(FakeStoresTest, FailureSwitchMakesEveryCallThrow) {
  fakes::fake_database db;
  db.posts.add_post("u", "t");
  db.set_failing(true);
  EXPECT_THROW(db.posts.find_post(1), store_error);
  EXPECT_THROW(db.users.find_by_id(1), store_error);
  EXPECT_THROW(db.sessions.complete_expired(0), store_error);
  db.set_failing(false);
  EXPECT_TRUE(db.posts.find_post(1));
  EXPECT_EQ(db.posts.calls(), 3);
}

TEST(FailingMediaStoreTest, FailsWritesOnlyWhileSwitchedOn) {
  fakes::temp_dir dir;
  persistence::file_media_store real{dir.path(), ""};
  fakes::failing_media_store media{real};
  media.write_file("a.jpg", "x");
  media.set_failing(true);
  EXPECT_THROW(media.write_file("b.jpg", "x"), store_error);
  EXPECT_THROW(media.make_temp_path(), store_error);
  EXPECT_TRUE(media.resolve("a.jpg"));
  EXPECT_FALSE(media.resolve("b.jpg"));
  media.set_failing(false);
  media.write_file("b.jpg", "x");
  EXPECT_TRUE(media.resolve("b.jpg"));
}
