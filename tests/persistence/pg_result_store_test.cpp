#include "persistence/pg_result_store.hpp"

#include "persistence/store_error.hpp"
#include "tests/persistence/pg_fixture.hpp"

using namespace tryon::persistence;

namespace {

class PgResultStoreTest : public tryon::pgtest::pg_fixture {
protected:
  result_record add(const user& u, const session_record& s, int n) {
    result_record r;
    r.session_id = s.id;
    r.user_id = u.id;
    r.processed_image = "results/" + std::to_string(n) + ".jpg";
    return pg_->results.add_result(r);
  }

  static std::vector<std::int64_t> ids(const std::vector<result_record>& v) {
    std::vector<std::int64_t> out;
    for (const auto& r : v)
      out.push_back(r.id);
    return out;
  }
};

} // namespace

TEST_F(PgResultStoreTest, AddedResultRoundTrips) {
  auto alice = make_user();
  auto s = make_session(alice.id);
  auto post = pg_->posts.add_post("http://img.test/a.png", "");
  result_record r;
  r.session_id = s.id;
  r.user_id = alice.id;
  r.nail_reference_post_id = post.id;
  r.processed_image = "results/a.jpg";
  r.thumbnail = "results/a_thumb.jpg";
  r.confidence_score = 0.875;
  r.metadata = {{"sequence", 42}, {"format", "jpeg"}};
  auto added = pg_->results.add_result(r);
  EXPECT_GT(added.id, 0);
  EXPECT_GT(added.created_at, 0);
  auto found = pg_->results.find_result(alice.id, added.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->session_id, s.id);
  EXPECT_EQ(found->nail_reference_post_id, post.id);
  EXPECT_EQ(found->processed_image, "results/a.jpg");
  EXPECT_EQ(found->thumbnail, r.thumbnail);
  EXPECT_EQ(found->confidence_score, 0.875);
  EXPECT_EQ(found->metadata, r.metadata);
  EXPECT_EQ(found->created_at, added.created_at);
}

TEST_F(PgResultStoreTest, NullColumnsReadAsNullopt) {
  auto alice = make_user();
  auto added = add(alice, make_session(alice.id), 1);
  auto found = *pg_->results.find_result(alice.id, added.id);
  EXPECT_FALSE(found.thumbnail);
  EXPECT_FALSE(found.confidence_score);
  EXPECT_FALSE(found.nail_reference_post_id);
  EXPECT_EQ(found.metadata, nlohmann::json::object());
}

TEST_F(PgResultStoreTest, AnotherUsersResultIsNotFound) {
  auto alice = make_user("alice");
  auto bob = make_user("bob");
  auto added = add(alice, make_session(alice.id), 1);
  EXPECT_FALSE(pg_->results.find_result(bob.id, added.id));
  EXPECT_FALSE(pg_->results.find_result(alice.id, added.id + 1));
}

TEST_F(PgResultStoreTest, ListsNewestFirstWithLimitAndOffset) {
  auto alice = make_user("alice");
  auto bob = make_user("bob");
  auto s = make_session(alice.id);
  auto r1 = add(alice, s, 1);
  auto r2 = add(alice, s, 2);
  add(bob, make_session(bob.id), 3);
  auto r4 = add(alice, s, 4);
  using v = std::vector<std::int64_t>;
  EXPECT_EQ(ids(pg_->results.list_results(alice.id, -1, 0)),
            (v{r4.id, r2.id, r1.id}));
  EXPECT_EQ(ids(pg_->results.list_results(alice.id, 2, 0)), (v{r4.id, r2.id}));
  EXPECT_EQ(ids(pg_->results.list_results(alice.id, 2, 1)), (v{r2.id, r1.id}));
  EXPECT_EQ(ids(pg_->results.list_results(alice.id, 10, 3)), v{});
  EXPECT_EQ(ids(pg_->results.list_results(alice.id, 0, 0)), v{});
  EXPECT_EQ(pg_->results.list_all_results(std::nullopt, -1).size(), 4u);
  EXPECT_EQ(pg_->results.list_all_results(std::nullopt, 2).size(), 2u);
  EXPECT_EQ(ids(pg_->results.list_all_results(alice.id, 1)), v{r4.id});
}

TEST_F(PgResultStoreTest, UnknownSessionIsAnError) {
  auto alice = make_user();
  result_record r;
  r.session_id = "00000000-0000-4000-8000-000000000000";
  r.user_id = alice.id;
  r.processed_image = "x.jpg";
  EXPECT_THROW(pg_->results.add_result(r), store_error);
  r.session_id = "garbage";
  EXPECT_THROW(pg_->results.add_result(r), store_error);
}

TEST_F(PgResultStoreTest, DeletingTheSessionOrUserDeletesResults) {
  auto alice = make_user("alice");
  auto s1 = make_session(alice.id);
  auto s2 = make_session(alice.id);
  auto gone = add(alice, s1, 1);
  auto kept = add(alice, s2, 2);
  db_->exec("delete from tryon_sessions where id = '" + s1.id + "'");
  EXPECT_FALSE(pg_->results.find_result(alice.id, gone.id));
  EXPECT_TRUE(pg_->results.find_result(alice.id, kept.id));
  db_->exec("delete from users where id = " + std::to_string(alice.id));
  EXPECT_FALSE(pg_->results.find_result(alice.id, kept.id));
  EXPECT_FALSE(pg_->sessions.find_session(s2.id));
}

TEST_F(PgResultStoreTest, DeletingThePostKeepsTheResult) {
  auto alice = make_user();
  auto post = pg_->posts.add_post("http://img.test/a.png", "");
  result_record r;
  r.session_id = make_session(alice.id).id;
  r.user_id = alice.id;
  r.nail_reference_post_id = post.id;
  r.processed_image = "x.jpg";
  auto added = pg_->results.add_result(r);
  db_->exec("delete from posts where id = " + std::to_string(post.id));
  auto found = pg_->results.find_result(alice.id, added.id);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->nail_reference_post_id);
}
