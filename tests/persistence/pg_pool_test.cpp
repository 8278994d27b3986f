#include "persistence/pg_pool.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include "persistence/pg_exec.hpp"
#include "persistence/pg_health_probe.hpp"
#include "persistence/pg_post_store.hpp"
#include "persistence/store_error.hpp"
#include "tests/persistence/pg_fixture.hpp"

using namespace tryon::persistence;
using namespace std::chrono_literals;

namespace {

class PgPoolTest : public tryon::pgtest::pg_fixture {};

// Port 1 on loopback: nothing listens, so the connection is refused at once.
constexpr const char* unreachable = "postgresql://tryon@127.0.0.1:1/none";

} // namespace

TEST(PgPoolOfflineTest, UnreachableDatabaseIsAStoreError) {
  pg_pool pool{unreachable, 1, 200ms};
  pg_post_store posts{pool};
  EXPECT_THROW(posts.find_post(1), store_error);
  // The failed slot went back to the pool: a second try fails the same way
  // instead of timing out on an empty pool.
  EXPECT_THROW(posts.find_post(1), store_error);
  pg_health_probe probe{pool};
  std::string detail;
  EXPECT_FALSE(probe.ping(detail));
  EXPECT_NE(detail.find("postgresql"), std::string::npos) << detail;
}

TEST_F(PgPoolTest, HealthProbeAnswers) {
  std::string detail;
  EXPECT_TRUE(pg_->health.ping(detail)) << detail;
}

TEST_F(PgPoolTest, ExhaustedPoolTimesOut) {
  pg_pool pool{db_->url(), 1, 100ms};
  auto held = pool.acquire();
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(pool.acquire(), store_error);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 90ms);
}

TEST_F(PgPoolTest, ABrokenConnectionIsReplacedAndTheCallRetriedOnce) {
  pg_->posts.add_post("http://img.test/a.png", "");
  auto before = pg_->pool.retries();
  db_->exec("select pg_terminate_backend(pid) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()");
  // The pooled connection is dead; the very next call still succeeds, on a
  // fresh connection, and so does a write.
  EXPECT_TRUE(pg_->posts.find_post(1).has_value());
  EXPECT_GE(pg_->pool.retries(), before + 1);
  db_->exec("select pg_terminate_backend(pid) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()");
  pg_->posts.add_post("http://img.test/b.png", "");
  // Written once, not twice.
  EXPECT_EQ(db_->exec("select count(*) from posts")[0][0].as<int>(), 2);
}

TEST_F(PgPoolTest, StatementTimeoutEndsASlowStatement) {
  pg_pool pool{db_->url(), 1, 1s, pg_timeouts{std::chrono::seconds{2}, 200ms}};
  EXPECT_NE(pool.conninfo().find("connect_timeout=2"), std::string::npos)
      << pool.conninfo();
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(tryon::persistence::detail::transact(
                   pool, "sleep",
                   [](pqxx::work& tx) { tx.exec("select pg_sleep(30)"); }),
               store_error);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  // The connection is still usable afterwards.
  pg_health_probe probe{pool};
  std::string detail;
  EXPECT_TRUE(probe.ping(detail)) << detail;
  // And a connection that had to be replaced has the limit too.
  db_->exec("select pg_terminate_backend(pid) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()");
  auto shown =
      tryon::persistence::detail::transact(pool, "show", [](pqxx::work& tx) {
        return tx.exec("show statement_timeout")[0][0].as<std::string>();
      });
  EXPECT_EQ(shown, "200ms");
}

TEST(PgPoolOfflineTest, ConnectTimeoutIsAddedUnlessGiven) {
  pg_pool uri{"postgresql://u@h/db", 1};
  EXPECT_EQ(uri.conninfo(), "postgresql://u@h/db?connect_timeout=5");
  pg_pool query{"postgresql://u@h/db?sslmode=disable", 1};
  EXPECT_EQ(query.conninfo(),
            "postgresql://u@h/db?sslmode=disable&connect_timeout=5");
  pg_pool kv{"host=h dbname=db", 1};
  EXPECT_EQ(kv.conninfo(), "host=h dbname=db connect_timeout=5");
  pg_pool given{"postgresql://u@h/db?connect_timeout=9", 1};
  EXPECT_EQ(given.conninfo(), "postgresql://u@h/db?connect_timeout=9");
}

TEST_F(PgPoolTest, ManyThreadsShareAFewConnections) {
  constexpr int threads = 6;
  constexpr int per_thread = 20;
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      for (int i = 0; i < per_thread; ++i) {
        try {
          auto p = pg_->posts.add_post("http://img.test/p.png", "t");
          if (!pg_->posts.find_post(p.id))
            ++errors;
        } catch (const store_error&) {
          ++errors;
        }
      }
    });
  for (auto& w : workers)
    w.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(db_->exec("select count(*) from posts")[0][0].as<int>(),
            threads * per_thread);
}
