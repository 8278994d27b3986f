#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "child_process.hpp"
#include "persistence/pg_database.hpp"
#include "real_parts.hpp"
#include "test_database.hpp"
#include "wire_client.hpp"

namespace tryon::testing {

/// A user made for a test, with a token.
struct test_user {
  std::int64_t id = 0;
  std::string name;
  std::string token;
  /// The Authorization header pair.
  std::pair<std::string, std::string> auth() const {
    return {"Authorization", "Token " + token};
  }
};

/// The whole system for integration tests: a fresh database on the test
/// PostgreSQL, the real `tryon-ai` and `tryon-server` binaries on free
/// loopback ports, a temp media root.
class test_stack {
public:
  /// How to start it.
  struct options {
    bool start_ai = true;
    std::vector<std::string> ai_args; ///< e.g. --delay-ms 100
    /// Extra TRYON_* settings; "@MEDIA_ROOT@" in a value becomes the media
    /// root.
    std::map<std::string, std::string> server_env;
    /// More tryon-server nodes beside the first, sharing its database,
    /// Redis and AI service (as nodes behind a load balancer would).
    int extra_nodes = 0;
  };

  /// Starts everything; check ok() (false: TRYON_TEST_DATABASE_URL unset or
  /// a binary failed, see why()).
  explicit test_stack(options opts);
  ~test_stack();

  /// Whether the stack is up.
  bool ok() const { return ok_; }

  /// Why it is not.
  const std::string& why() const { return why_; }

  /// The server's port.
  int port() const { return port_; }

  /// The port of node `i` (0 is port(), then the extra nodes).
  int node_port(std::size_t i) const {
    return i == 0 ? port_ : extra_ports_.at(i - 1);
  }

  /// The AI service's port.
  int ai_port() const { return ai_port_; }

  /// The server's media root.
  const std::string& media_root() const { return media_root_; }

  /// Direct access to the stores (setup and inspection).
  persistence::pg_database& db() { return *db_; }

  /// Raw SQL on the test database.
  pqxx::result sql(const std::string& statement) {
    return database_->exec(statement);
  }

  /// A new user with a token.
  test_user make_user(const std::string& prefix, bool staff = false);

  /// A post whose image is the demo design served from /media.
  std::int64_t make_post();

  /// Creates an explore-mode session for `u`; returns its id.
  std::string make_session(const test_user& u);

  /// The server process.
  child_process& server() { return *server_; }

  /// (Re)starts the AI service on its port.
  bool start_ai();

  /// Kills the AI service (SIGKILL, as a crash would).
  void kill_ai();

  /// Stops the server with SIGTERM; its exit code.
  std::optional<int> stop_server(std::chrono::milliseconds timeout);

private:
  std::unique_ptr<child_process> start_server(int port, int node);
  bool wait_healthy(child_process& server, int port);

  options opts_;
  bool ok_ = false;
  std::string why_;
  int port_ = 0;
  int ai_port_ = 0;
  std::string work_dir_;
  std::string media_root_;
  std::unique_ptr<pgtest::test_database> database_;
  std::unique_ptr<persistence::pg_database> db_;
  std::unique_ptr<child_process> ai_;
  std::unique_ptr<child_process> server_;
  std::vector<std::unique_ptr<child_process>> extra_servers_;
  std::vector<int> extra_ports_;
  int users_made_ = 0;
};

/// A small real JPEG (w x h, a gradient with a skin-toned block).
std::string make_test_jpeg(int w = 64, int h = 48);

/// A client frame: the 1024-byte header with `sequence`, then `image`.
std::string make_client_frame(std::int64_t sequence, const std::string& image);

/// Base of a GoogleTest suite whose tests share one stack: the suite's
/// SetUpTestSuite calls start_stack(options); tests whose stack did not
/// start are skipped. CRTP keeps one stack per suite.
template <class Suite>
class shared_stack_suite : public ::testing::Test {
protected:
  static void start_stack(const test_stack::options& o) {
    stack_ = new test_stack(o);
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  /// Skips the test when the stack is down; otherwise runs prepare().
  void SetUp() override {
    TRYON_REQUIRE_REAL_PART(stack_->ok(), stack_->why());
    prepare();
  }
  /// A suite's per-test setup, run only when the stack is up.
  virtual void prepare() {}
  static inline test_stack* stack_ = nullptr;
};

} // namespace tryon::testing
