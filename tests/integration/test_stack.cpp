#include "test_stack.hpp"

#include <csignal>
#include <filesystem>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "protocol/client_frame.hpp"
#include "tests/fakes/test_jpeg.hpp"

namespace tryon::testing {

namespace fs = std::filesystem;

namespace {

std::string binary(const char* rel) {
  return std::string{TRYON_BINARY_DIR} + "/" + rel;
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

} // namespace

test_stack::test_stack(options opts) : opts_(std::move(opts)) {
  auto admin = pgtest::test_database::admin_url();
  if (admin.empty()) {
    why_ = "TRYON_TEST_DATABASE_URL is not set";
    return;
  }
  std::random_device rd;
  work_dir_ =
      (fs::temp_directory_path() /
       ("tryon-it-" + std::to_string(::getpid()) + "-" + std::to_string(rd())))
          .string();
  media_root_ = work_dir_ + "/media";
  fs::create_directories(media_root_ + "/posts");
  database_ = std::make_unique<pgtest::test_database>(admin);
  db_ = std::make_unique<persistence::pg_database>(database_->url(), 2);
  db_->migrate();
  port_ = free_port();
  ai_port_ = free_port();
  child_process design{{binary("ai_service/tryon-ai"), "--write-demo-design",
                        media_root_ + "/posts/demo.jpg"},
                       {},
                       work_dir_ + "/design.log"};
  design.wait(std::chrono::seconds(30));
  if (opts_.start_ai && !start_ai()) {
    why_ = "tryon-ai did not start";
    return;
  }
  server_ = start_server(port_, 0);
  if (!wait_healthy(*server_, port_)) {
    why_ = "tryon-server did not become healthy:\n" + server_->log();
    return;
  }
  for (int i = 1; i <= opts_.extra_nodes; ++i) {
    extra_ports_.push_back(free_port());
    extra_servers_.push_back(start_server(extra_ports_.back(), i));
    if (!wait_healthy(*extra_servers_.back(), extra_ports_.back())) {
      why_ = "tryon-server node " + std::to_string(i) +
             " did not become healthy:\n" + extra_servers_.back()->log();
      return;
    }
  }
  ok_ = true;
}

std::unique_ptr<child_process> test_stack::start_server(int port, int node) {
  std::map<std::string, std::string> env{
      {"DATABASE_URL", database_->url()},
      {"REDIS_URL", env_or("TRYON_TEST_REDIS_URL", "redis://127.0.0.1:56380")},
      {"TRYON_AI_SERVICE_URL",
       "ws://127.0.0.1:" + std::to_string(ai_port_) + "/ws/tryon"},
      {"TRYON_PORT", std::to_string(port)},
      {"TRYON_LISTEN_ADDRESS", "127.0.0.1"},
      {"TRYON_MEDIA_ROOT", media_root_},
      {"TRYON_PUBLIC_URL", "http://127.0.0.1:" + std::to_string(port)},
      {"TRYON_WEB_ROOT", std::string{TRYON_SOURCE_DIR} + "/web"},
      {"TRYON_LOG_LEVEL", "debug"},
      {"TRYON_AI_GRACE_MS", "3000"},
  };
  for (auto& [k, v] : opts_.server_env) {
    env[k] = v;
    // The media root is made here: a test names it as @MEDIA_ROOT@.
    const std::string mark = "@MEDIA_ROOT@";
    if (auto at = env[k].find(mark); at != std::string::npos)
      env[k].replace(at, mark.size(), media_root_);
  }
  if (node > 0) // the first node keeps the default (or the test's) node id
    env["TRYON_NODE_ID"] =
        "it-node-" + std::to_string(::getpid()) + "-" + std::to_string(node);
  return std::make_unique<child_process>(
      std::vector<std::string>{binary("apps/tryon-server")}, env,
      work_dir_ + "/server" + (node ? std::to_string(node) : "") + ".log");
}

test_stack::~test_stack() {
  extra_servers_.clear();
  server_.reset();
  ai_.reset();
  db_.reset();
  database_.reset();
  std::error_code ec;
  if (!work_dir_.empty() && !std::getenv("TRYON_KEEP_TEST_DIRS"))
    fs::remove_all(work_dir_, ec);
}

bool test_stack::start_ai() {
  std::vector<std::string> argv{binary("ai_service/tryon-ai"), "--listen",
                                "127.0.0.1", "--port",
                                std::to_string(ai_port_)};
  argv.insert(argv.end(), opts_.ai_args.begin(), opts_.ai_args.end());
  ai_ = std::make_unique<child_process>(
      argv, std::map<std::string, std::string>{}, work_dir_ + "/ai.log");
  // Ready once its port accepts connections.
  for (int i = 0; i < 300; ++i) {
    try {
      if (http_call(ai_port_, "GET", "/healthz").status == 200)
        return true;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return false;
}

void test_stack::kill_ai() {
  if (ai_) {
    ai_->signal(SIGKILL);
    ai_->wait(std::chrono::seconds(5));
  }
}

std::optional<int> test_stack::stop_server(std::chrono::milliseconds timeout) {
  server_->signal(SIGTERM);
  return server_->wait(timeout);
}

bool test_stack::wait_healthy(child_process& server, int port) {
  for (int i = 0; i < 600; ++i) {
    if (!server.running())
      return false;
    try {
      if (http_call(port, "GET", "/healthz").status == 200)
        return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

test_user test_stack::make_user(const std::string& prefix, bool staff) {
  test_user u;
  u.name = prefix + std::to_string(++users_made_);
  u.id = db_->users.create_user(u.name, staff).id;
  u.token = *db_->users.issue_token(u.name);
  return u;
}

std::int64_t test_stack::make_post() {
  return db_->posts
      .add_post("http://127.0.0.1:" + std::to_string(port_) +
                    "/media/posts/demo.jpg",
                "Demo")
      .id;
}

std::string test_stack::make_session(const test_user& u) {
  auto post = make_post();
  auto res = http_call(port_, "POST", "/api/try-on/session/create/",
                       {u.auth(), {"Content-Type", "application/json"}},
                       nlohmann::json{{"nail_post_id", post}}.dump());
  return nlohmann::json::parse(res.body).value("session_id", "");
}

std::string make_test_jpeg(int w, int h) {
  std::vector<unsigned char> rgb(static_cast<std::size_t>(w * h * 3));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto* p = &rgb[static_cast<std::size_t>((y * w + x) * 3)];
      bool skin = x > w / 4 && x < 3 * w / 4 && y > h / 4;
      p[0] = skin ? 224 : static_cast<unsigned char>(x * 255 / w);
      p[1] = skin ? 172 : static_cast<unsigned char>(y * 255 / h);
      p[2] = skin ? 105 : 40;
    }
  return fakes::encode_jpeg(rgb, w, h, 80);
}

std::string make_client_frame(std::int64_t sequence, const std::string& image) {
  protocol::client_frame_header h;
  h.sequence = sequence;
  h.timestamp = 1700000000000 + sequence;
  h.format = "jpeg";
  return protocol::encode_client_frame(h, image);
}

} // namespace tryon::testing
