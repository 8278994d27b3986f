// The browser client (web/) end to end: a test_stack (real tryon-server,
// tryon-ai and PostgreSQL), a user and a post, then the Playwright script
// tests/e2e/tryon.e2e.mjs drives Debian's Chromium (fake camera) through
// sign-in, streaming, pause/resume, capture and the gallery. See docs/web.md.
//
// Needs node, /usr/bin/chromium and tests/e2e/node_modules (scripts/test
// installs all three). When one is missing the test fails, naming it
// (TRYON_TEST_ALLOW_SKIP=1 skips it locally instead).
//
// Its log and screenshots go to ./browser_e2e/ in the test's working
// directory; $TRYON_E2E_SCREENSHOT_DIR moves the screenshots (e.g. to docs/,
// to refresh docs/screenshot.png and docs/screenshot-phone.png).

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "real_parts.hpp"
#include "stack_helpers.hpp"
#include "test_stack.hpp"

using namespace tryon::testing;
namespace fs = std::filesystem;

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string{v} : fallback;
}

/// The repository root (CMake's source dir; not __FILE__, which ccache's
/// base_dir makes relative).
fs::path repo_root() {
  if (const char* r = std::getenv("TRYON_REPO"); r && *r)
    return r;
  return TRYON_SOURCE_DIR;
}

/// `name` looked up in PATH (posix_spawn does not search it).
std::string find_in_path(const std::string& name) {
  if (name.find('/') != std::string::npos)
    return fs::exists(name) ? name : "";
  std::stringstream path{env_or("PATH", "/usr/local/bin:/usr/bin:/bin")};
  std::string dir;
  while (std::getline(path, dir, ':')) {
    if (dir.empty())
      continue;
    auto candidate = fs::path{dir} / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) &&
        (fs::status(candidate, ec).permissions() & fs::perms::owner_exec) !=
            fs::perms::none)
      return candidate.string();
  }
  return "";
}

/// The last `n` lines of `text`.
std::string tail(const std::string& text, std::size_t n) {
  std::size_t pos = text.size();
  for (std::size_t i = 0; i < n && pos > 0; ++i) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos)
      return text;
  }
  return text.substr(pos + 1);
}

} // namespace

TEST(BrowserE2E, SignInStreamPauseCaptureGallery) {
  const auto repo = repo_root();
  const auto script = repo / "tests/e2e/tryon.e2e.mjs";
  const auto node = find_in_path(env_or("TRYON_NODE", "node"));
  const auto chromium = env_or("TRYON_CHROMIUM", "/usr/bin/chromium");
  ASSERT_TRUE(fs::exists(script)) << "no " << script;

  std::vector<std::string> missing;
  if (node.empty())
    missing.push_back("node (Debian package nodejs)");
  if (!fs::exists(chromium))
    missing.push_back(chromium + " (Debian package chromium)");
  if (!fs::exists(repo / "tests/e2e/node_modules/playwright-core/package.json"))
    missing.push_back(
        "tests/e2e/node_modules (run: npm ci --prefix tests/e2e)");
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing)
      list += "\n  " + m;
    TRYON_REQUIRE_REAL_PART(false, "the browser test's tools:" + list +
                                       "\n(scripts/test installs them)");
  }

  test_stack stack{test_stack::options{}};
  TRYON_REQUIRE_REAL_PART(stack.ok(), stack.why());
  auto user = stack.make_user("browser");
  auto post = stack.make_post();

  // The log always goes to ./browser_e2e/; the screenshots too, unless
  // TRYON_E2E_SCREENSHOT_DIR says otherwise.
  const auto work = fs::current_path() / "browser_e2e";
  fs::create_directories(work);
  fs::path shots = env_or("TRYON_E2E_SCREENSHOT_DIR", work.string());
  fs::create_directories(shots);
  const auto log_path = work / "e2e.log";
  std::error_code ec;
  fs::remove(log_path, ec);

  const std::string url =
      "http://127.0.0.1:" + std::to_string(stack.port()) + "/";
  std::vector<std::string> argv{node,
                                script.string(),
                                "--url",
                                url,
                                "--token",
                                user.token,
                                "--post",
                                std::to_string(post),
                                "--screenshot",
                                (shots / "screenshot.png").string(),
                                "--phone-screenshot",
                                (shots / "screenshot-phone.png").string(),
                                "--chromium",
                                chromium,
                                "--timeout-ms",
                                "300000"};
  child_process e2e{argv, {}, log_path.string()};
  ASSERT_GT(e2e.pid(), 0) << "could not start " << node;
  auto code = e2e.wait(std::chrono::seconds(330));
  if (!code) {
    // Playwright closes its browser on SIGTERM.
    e2e.signal(SIGTERM);
    code = e2e.wait(std::chrono::seconds(15));
  }
  std::cout << "---- tests/e2e/tryon.e2e.mjs (" << log_path.string() << ")\n"
            << e2e.log() << std::flush;
  ASSERT_TRUE(code.has_value()) << "the browser test did not finish in time";
  EXPECT_EQ(*code, 0)
      << "the browser test failed (log above); server log tail:\n"
      << tail(stack.server().log(), 60);
  if (*code == 0) {
    EXPECT_TRUE(fs::exists(shots / "screenshot.png"));
    EXPECT_TRUE(fs::exists(shots / "screenshot-phone.png"));
  }
}

// The operator page (web/operator.html, tests/e2e/operator.e2e.mjs): a
// non-staff token is refused, a staff token sees the node with its AI link
// up, live fps in/out from frames a client streams meanwhile, latency
// percentiles and charts. A missing browser or npm package is a failure
// (TRYON_REQUIRE_REAL_PART).
TEST(BrowserE2E, OperatorPage) {
  const auto repo = repo_root();
  const auto script = repo / "tests/e2e/operator.e2e.mjs";
  const auto node = find_in_path(env_or("TRYON_NODE", "node"));
  const auto chromium = env_or("TRYON_CHROMIUM", "/usr/bin/chromium");
  ASSERT_TRUE(fs::exists(script)) << "no " << script;
  std::string missing;
  if (node.empty())
    missing += "\n  node (Debian package nodejs)";
  if (!fs::exists(chromium))
    missing += "\n  " + chromium + " (Debian package chromium)";
  if (!fs::exists(repo / "tests/e2e/node_modules/playwright-core/package.json"))
    missing += "\n  tests/e2e/node_modules (run: npm ci --prefix tests/e2e)";
  TRYON_REQUIRE_REAL_PART(missing.empty(),
                          "the operator page test's tools:" + missing +
                              "\n(scripts/test installs them)");

  // A Redis database of its own: the page lists every node publishing
  // figures, and other tests' nodes share the test Redis.
  test_stack::options o;
  o.redis_url = env_or("TRYON_TEST_REDIS_URL", "redis://127.0.0.1:56380");
  if (auto slash = o.redis_url.find('/', o.redis_url.find("://") + 3);
      slash != std::string::npos)
    o.redis_url.erase(slash);
  o.redis_url += "/9";
  test_stack stack{o};
  TRYON_REQUIRE_REAL_PART(stack.ok(), stack.why());
  auto staff = stack.make_user("operator", true);
  auto user = stack.make_user("phone");
  auto session = stack.make_session(user);
  auto client = open_ready(stack, user, session);
  ASSERT_TRUE(client) << "no session_ready";

  // A phone streaming about 10 frames a second while the page watches
  // (bounded: it stops with the browser, or after 2 minutes).
  std::atomic<bool> stop{false};
  std::atomic<int> processed{0};
  std::thread phone([&] {
    const auto end = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    for (std::int64_t seq = 1; !stop && std::chrono::steady_clock::now() < end;
         ++seq) {
      processed += one_frame(*client, seq, 160, 120).processed;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  const auto work = fs::current_path() / "browser_e2e";
  fs::create_directories(work);
  fs::path shots = env_or("TRYON_E2E_SCREENSHOT_DIR", work.string());
  fs::create_directories(shots);
  const auto log_path = work / "operator.log";
  std::error_code ec;
  fs::remove(log_path, ec);
  std::vector<std::string> argv{
      node,           script.string(),
      "--url",        "http://127.0.0.1:" + std::to_string(stack.port()) + "/",
      "--token",      staff.token,
      "--user-token", user.token,
      "--screenshot", (shots / "screenshot-operator.png").string(),
      "--chromium",   chromium,
      "--timeout-ms", "150000"};
  child_process e2e{argv, {}, log_path.string()};
  ASSERT_GT(e2e.pid(), 0) << "could not start " << node;
  auto code = e2e.wait(std::chrono::seconds(170));
  if (!code) {
    e2e.signal(SIGTERM);
    code = e2e.wait(std::chrono::seconds(15));
  }
  stop = true;
  phone.join();
  std::cout << "---- tests/e2e/operator.e2e.mjs (" << log_path.string() << ")\n"
            << e2e.log() << std::flush;
  EXPECT_GT(processed.load(), 0) << "the streaming client got no frame back";
  ASSERT_TRUE(code.has_value()) << "the operator test did not finish in time";
  EXPECT_EQ(*code, 0) << "the operator page test failed (log above); server "
                         "log tail:\n"
                      << tail(stack.server().log(), 60);
  if (*code == 0) {
    EXPECT_TRUE(fs::exists(shots / "screenshot-operator.png"));
  }
}
