#include <memory>
#include <regex>

#include <sys/wait.h>

#include <gtest/gtest.h>

#include "persistence/digest.hpp"

#include "real_parts.hpp"
#include "run_command.hpp"
#include "tests/persistence/test_database.hpp"

using tryon::pgtest::test_database;

namespace {

class TryonctlTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto admin = test_database::admin_url();
    TRYON_REQUIRE_REAL_PART(!admin.empty(),
                            "PostgreSQL (TRYON_TEST_DATABASE_URL is not set)");
    db_ = std::make_unique<test_database>(admin);
  }

  /// Runs tryonctl with `args` (shell words) against the fresh database;
  /// stderr goes to the test log.
  tryon::testing::command_result run(const std::string& args) {
    return tryon::testing::run_command(std::string(TRYON_BINARY_DIR) +
                                       "/apps/tryonctl --database-url '" +
                                       db_->url() + "' " + args);
  }

  std::unique_ptr<test_database> db_;
};

const std::regex token_line("[0-9a-f]{40}\n");

} // namespace

TEST_F(TryonctlTest, UserCreatePrintsOnlyAToken) {
  auto r = run("user create alice --staff");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(std::regex_match(r.out, token_line)) << r.out;
  auto staff = db_->exec("select is_staff from users where username='alice'");
  ASSERT_EQ(staff.size(), 1u);
  EXPECT_TRUE(staff[0][0].as<bool>());
}

TEST_F(TryonctlTest, DuplicateUserExitsWithOne) {
  ASSERT_EQ(run("user create alice").status, 0);
  auto r = run("user create alice");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
}

TEST_F(TryonctlTest, TokensCanBeIssuedAndRevoked) {
  ASSERT_EQ(run("user create bob").status, 0);
  auto issued = run("token issue bob");
  EXPECT_EQ(issued.status, 0);
  ASSERT_TRUE(std::regex_match(issued.out, token_line)) << issued.out;
  auto key = issued.out.substr(0, 40);
  EXPECT_EQ(run("token revoke " + key).status, 0);
  EXPECT_EQ(run("token revoke " + key).status, 1);
  EXPECT_EQ(run("token issue nobody").status, 1);
}

TEST_F(TryonctlTest, PostAddPrintsTheNewId) {
  auto r = run("post add http://img.test/a.png --title 'Red tips'");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(std::regex_match(r.out, std::regex("[0-9]+\n"))) << r.out;
  auto title = db_->exec("select title from posts where id = " + r.out);
  ASSERT_EQ(title.size(), 1u);
  EXPECT_EQ(title[0][0].as<std::string>(), "Red tips");
}

TEST_F(TryonctlTest, ListsPrintAHeaderAndRows) {
  ASSERT_EQ(run("user create carol").status, 0);
  db_->exec("insert into tryon_sessions (user_id, nail_reference_url, mode, "
            "expires_at) select id, 'u', 'explore', now() from users");
  auto s = run("sessions list --user carol");
  EXPECT_EQ(s.status, 0);
  EXPECT_EQ(s.out.rfind("session_id  ", 0), 0u) << s.out;
  EXPECT_NE(s.out.find("carol"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("initializing"), std::string::npos) << s.out;
  auto r = run("results list --limit 5");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("id  ", 0), 0u) << r.out;
  EXPECT_EQ(run("migrate").status, 0);
}

TEST_F(TryonctlTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(run("").status, 2);
  EXPECT_EQ(run("user").status, 2);
  EXPECT_EQ(run("user create").status, 2);
  EXPECT_EQ(run("sessions list --status bogus").status, 2);
  EXPECT_EQ(run("frobnicate").status, 2);
}

TEST_F(TryonctlTest, UnreachableDatabaseExitsWithOne) {
  std::string cmd = std::string(TRYON_BINARY_DIR) + "/apps/tryonctl " +
                    "--database-url postgresql://x@127.0.0.1:1/none " +
                    "post add http://x 2>/dev/null";
  int st = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(st));
  EXPECT_EQ(WEXITSTATUS(st), 1);
}

TEST_F(TryonctlTest, ReadOnlyCommandsNeverMigrate) {
  // A fresh database: reading fails with advice, and creates nothing.
  auto r = run("post list 2>&1");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("run 'tryonctl migrate'"), std::string::npos) << r.out;
  for (auto cmd : {"user list", "token list", "sessions list", "results list"})
    EXPECT_EQ(run(std::string{cmd} + " 2>/dev/null").status, 1) << cmd;
  auto tables = db_->exec("select count(*) from information_schema.tables "
                          "where table_schema = current_schema()");
  EXPECT_EQ(tables[0][0].as<int>(), 0);
  EXPECT_EQ(run("migrate").status, 0);
  EXPECT_EQ(run("post list").status, 0);
}

TEST_F(TryonctlTest, JsonOutput) {
  auto made = run("--json user create dora --staff");
  ASSERT_EQ(made.status, 0);
  EXPECT_TRUE(std::regex_match(
      made.out, std::regex("\\{\"token\":\"[0-9a-f]{40}\"\\}\n")))
      << made.out;
  auto post = run("--json post add http://img.test/a.png --title T");
  EXPECT_TRUE(std::regex_match(post.out, std::regex("\\{\"id\":[0-9]+\\}\n")))
      << post.out;
  auto users = run("--json user list");
  ASSERT_EQ(users.status, 0);
  EXPECT_EQ(users.out.rfind("[", 0), 0u) << users.out;
  EXPECT_NE(users.out.find("\"username\": \"dora\""), std::string::npos)
      << users.out;
  EXPECT_NE(users.out.find("\"staff\": true"), std::string::npos);
  EXPECT_NE(users.out.find("\"tokens\": 1"), std::string::npos);
  auto none = run("--json sessions list");
  EXPECT_EQ(none.out, "[]\n");
}

TEST_F(TryonctlTest, UsersTokensAndPostsCanBeListedAndDeleted) {
  ASSERT_EQ(run("user create erin").status, 0);
  auto key = run("token issue erin").out.substr(0, 40);
  // Only the key's digest is stored: tokens are listed by its start.
  auto digest = tryon::persistence::sha256_hex(key);
  auto tokens = run("token list --user erin");
  EXPECT_EQ(tokens.out.rfind("digest_prefix  ", 0), 0u) << tokens.out;
  EXPECT_NE(tokens.out.find(digest.substr(0, 12)), std::string::npos)
      << tokens.out;
  // Listings never show the key, nor any of it.
  EXPECT_EQ(tokens.out.find(key.substr(0, 8)), std::string::npos);
  EXPECT_EQ(run("token delete " + digest.substr(0, 4) + " 2>/dev/null").status,
            1); // too short to be sure
  EXPECT_EQ(run("token delete " + key.substr(0, 12) + " 2>/dev/null").status,
            1); // a key is not a digest
  EXPECT_EQ(run("token delete " + digest.substr(0, 12)).status, 0);
  EXPECT_EQ(run("token revoke " + key + " 2>/dev/null").status, 1);

  auto id = run("post add http://img.test/b.png").out;
  id.pop_back();
  EXPECT_NE(run("post list").out.find("http://img.test/b.png"),
            std::string::npos);
  EXPECT_EQ(run("post delete " + id).status, 0);
  EXPECT_EQ(run("post delete " + id + " 2>/dev/null").status, 1);
  EXPECT_EQ(run("post list").out.find("http://img.test/b.png"),
            std::string::npos);

  EXPECT_NE(run("user list").out.find("erin"), std::string::npos);
  EXPECT_EQ(run("user delete erin").status, 0);
  EXPECT_EQ(run("user list").out.find("erin"), std::string::npos);
  EXPECT_EQ(run("user delete erin 2>/dev/null").status, 1);
}

TEST_F(TryonctlTest, SessionKickEndsASession) {
  ASSERT_EQ(run("user create fay").status, 0);
  db_->exec("insert into tryon_sessions (user_id, nail_reference_url, mode, "
            "expires_at) select id, 'u', 'explore', now() + interval '1 hour' "
            "from users");
  auto id =
      db_->exec("select id::text from tryon_sessions")[0][0].as<std::string>();
  const char* redis = std::getenv("TRYON_TEST_REDIS_URL");
  TRYON_REQUIRE_REAL_PART(redis && *redis,
                          "Redis (TRYON_TEST_REDIS_URL is not set)");
  auto r = run("--json session kick " + id + " --redis-url " + redis);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out,
            "{\"session_id\":\"" + id + "\",\"ended\":true,\"node\":null}\n");
  auto status = db_->exec("select status from tryon_sessions");
  EXPECT_EQ(status[0][0].as<std::string>(), "completed");
  EXPECT_EQ(run("session kick not-a-uuid 2>/dev/null").status, 1);
  EXPECT_EQ(run("session kick 00000000-0000-0000-0000-000000000000 "
                "2>/dev/null")
                .status,
            1);
}

TEST_F(TryonctlTest, VersionPrintsVersionAndCommit) {
  auto r = run("--version");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(std::regex_match(
      r.out, std::regex("tryonctl [0-9]+\\.[0-9]+\\.[0-9]+ \\(commit "
                        "[^)]+\\)\n")))
      << r.out;
}
