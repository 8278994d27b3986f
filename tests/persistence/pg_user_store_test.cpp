#include "persistence/pg_user_store.hpp"

#include <regex>

#include "persistence/store_error.hpp"
#include "tests/persistence/pg_fixture.hpp"

using namespace tryon::persistence;

namespace {

class PgUserStoreTest : public tryon::pgtest::pg_fixture {};

bool is_drf_key(const std::string& key) {
  return std::regex_match(key, std::regex("[0-9a-f]{40}"));
}

} // namespace

TEST_F(PgUserStoreTest, CreatesAndFindsUsers) {
  auto alice = pg_->users.create_user("alice", false);
  auto root = pg_->users.create_user("root", true);
  EXPECT_GT(alice.id, 0);
  EXPECT_NE(alice.id, root.id);
  auto found = pg_->users.find_by_id(root.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "root");
  EXPECT_TRUE(found->is_staff);
  EXPECT_FALSE(pg_->users.find_by_id(root.id + 100));
}

TEST_F(PgUserStoreTest, DuplicateUsernameIsAConflict) {
  pg_->users.create_user("alice", false);
  try {
    pg_->users.create_user("alice", true);
    FAIL() << "no store_error";
  } catch (const store_error& e) {
    EXPECT_TRUE(e.conflict());
  }
}

TEST_F(PgUserStoreTest, EmptyUsernameIsRefusedWithoutConflict) {
  try {
    pg_->users.create_user("", false);
    FAIL() << "no store_error";
  } catch (const store_error& e) {
    EXPECT_FALSE(e.conflict());
  }
}

TEST_F(PgUserStoreTest, IssuedTokenAuthenticatesItsUser) {
  auto alice = pg_->users.create_user("alice", false);
  auto key = pg_->users.issue_token("alice");
  ASSERT_TRUE(key);
  EXPECT_TRUE(is_drf_key(*key)) << *key;
  auto found = pg_->users.find_by_token(*key);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, alice.id);
  EXPECT_EQ(found->username, "alice");
}

TEST_F(PgUserStoreTest, TokensAreDistinctAndEachStaysValid) {
  pg_->users.create_user("alice", false);
  auto a = *pg_->users.issue_token("alice");
  auto b = *pg_->users.issue_token("alice");
  EXPECT_NE(a, b);
  EXPECT_TRUE(pg_->users.find_by_token(a));
  EXPECT_TRUE(pg_->users.find_by_token(b));
}

TEST_F(PgUserStoreTest, IssueTokenForUnknownUserIsNullopt) {
  EXPECT_FALSE(pg_->users.issue_token("nobody"));
}

TEST_F(PgUserStoreTest, RevokedTokenNoLongerAuthenticates) {
  pg_->users.create_user("alice", false);
  auto key = *pg_->users.issue_token("alice");
  EXPECT_TRUE(pg_->users.revoke_token(key));
  EXPECT_FALSE(pg_->users.find_by_token(key));
  EXPECT_FALSE(pg_->users.revoke_token(key));
}

TEST_F(PgUserStoreTest, UnknownOrMalformedTokensNeverMatch) {
  pg_->users.create_user("alice", false);
  auto key = *pg_->users.issue_token("alice");
  EXPECT_FALSE(pg_->users.find_by_token(std::string(40, '0')));
  EXPECT_FALSE(pg_->users.find_by_token(""));
  EXPECT_FALSE(pg_->users.find_by_token(key + "0"));
  EXPECT_FALSE(pg_->users.find_by_token("' or '1'='1"));
  std::string upper = key;
  for (auto& c : upper)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != key) {
    EXPECT_FALSE(pg_->users.find_by_token(upper));
  }
  EXPECT_FALSE(pg_->users.revoke_token("not-a-token"));
}

TEST_F(PgUserStoreTest, InactiveUsersTokensDoNotAuthenticate) {
  auto alice = pg_->users.create_user("alice", false);
  auto key = *pg_->users.issue_token("alice");
  db_->exec("update users set is_active = false where id = " +
            std::to_string(alice.id));
  EXPECT_FALSE(pg_->users.find_by_token(key));
  EXPECT_TRUE(pg_->users.find_by_id(alice.id)); // still exists
}

TEST_F(PgUserStoreTest, DeletingAUserDeletesItsTokens) {
  auto alice = pg_->users.create_user("alice", false);
  pg_->users.issue_token("alice");
  db_->exec("delete from users where id = " + std::to_string(alice.id));
  EXPECT_EQ(db_->exec("select count(*) from api_tokens")[0][0].as<int>(), 0);
}
