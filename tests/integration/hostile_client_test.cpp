// Issue 13, items 1-3, end to end against the real server: connection caps,
// timeouts on every stage of a connection, and text messages bounded apart
// from frames. Hostile clients are plain sockets (they misbehave in ways a
// WebSocket library will not), all on loopback, each test seconds long.

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "raw_socket.hpp"
#include "stack_helpers.hpp"
#include "test_stack.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

// The caps the stack runs with; assertions are made against them.
constexpr std::size_t max_connections = 3000;
constexpr std::size_t max_per_address = 50;
constexpr std::size_t max_text = 65536;
constexpr std::size_t max_queued_text = 256 * 1024;
constexpr int timeout_ms = 1000; // init_session and write timeouts
constexpr int header_timeout_ms = 3000;
constexpr const char* proxy = "127.0.0.9"; // trusted for X-Forwarded-For
// The probes-only listener (TRYON_ADMIN_PORT), outside the caps.
const int admin_port = free_port();

class HostileClients : public shared_stack_suite<HostileClients> {
protected:
  static void SetUpTestSuite() {
    test_stack::options o;
    o.server_env = {
        {"TRYON_MAX_CONNECTIONS", std::to_string(max_connections)},
        {"TRYON_MAX_CONNECTIONS_PER_ADDRESS", std::to_string(max_per_address)},
        {"TRYON_HEADER_TIMEOUT_MS", std::to_string(header_timeout_ms)},
        {"TRYON_TRUSTED_PROXIES", proxy},
        {"TRYON_WS_INIT_TIMEOUT_MS", std::to_string(timeout_ms)},
        {"TRYON_WRITE_TIMEOUT_MS", std::to_string(timeout_ms)},
        {"TRYON_MAX_TEXT_MESSAGE_SIZE", std::to_string(max_text)},
        {"TRYON_MAX_QUEUED_TEXT_BYTES", std::to_string(max_queued_text)},
        // Small socket buffers: a client that does not read blocks the
        // server's writes after a few KB.
        {"TRYON_CLIENT_SEND_BUFFER", "4096"},
        {"TRYON_ADMIN_PORT", std::to_string(admin_port)},
        {"TRYON_LOG_LEVEL", "info"},
        {"ASAN_OPTIONS", server_options()},
    };
    start_stack(o);
  }
  void prepare() override {
    alice_ = stack_->make_user("alice");
    session_ = stack_->make_session(alice_);
  }

  /// An upgraded WebSocket on a raw socket from `source`; -1 on failure.
  /// (`session`: the test's own when empty.)
  int raw_websocket(const char* source = "127.0.0.1", int rcvbuf = 0,
                    std::string session = {}) {
    if (session.empty())
      session = session_;
    int fd = connect_from(source, stack_->port(), rcvbuf);
    if (fd < 0)
      return -1;
    send_all(fd, "GET /ws/try-on/" + session +
                     "/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n"
                     "Authorization: Token " +
                     alice_.token + "\r\n\r\n");
    auto head = read_http_head(fd, 5s);
    if (head.rfind("HTTP/1.1 101", 0) != 0) {
      ADD_FAILURE() << "upgrade refused: " << head;
      ::close(fd);
      return -1;
    }
    return fd;
  }

  std::size_t log_size() { return stack_->server().log().size(); }

  test_user alice_;
  std::string session_;
};

TEST_F(HostileClients, HalfARequestLineIsCutOffAtTheHeaderTimeout) {
  int fd = connect_from("127.0.0.1", stack_->port());
  ASSERT_GE(fd, 0);
  send_all(fd, "GET /heal");
  // Closed by the server itself (the old timeout was 30 s).
  EXPECT_TRUE(closed_by_server_within(fd, 3 * header_timeout_ms * 1ms));
  ::close(fd);
  EXPECT_EQ(http_call(stack_->port(), "GET", "/healthz").status, 200u);
}

TEST_F(HostileClients, TricklingBodyIsCutOffAtTheMinimumRate) {
  int fd = connect_from("127.0.0.1", stack_->port());
  ASSERT_GE(fd, 0);
  send_all(fd, "POST /api/try-on/session/create/ HTTP/1.1\r\n"
               "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
               "Content-Length: 100000\r\n\r\n{");
  // 40 bytes/s against a minimum of 8192 bytes/s after the grace period:
  // answered 408 and closed, however long the client would go on.
  std::string answer;
  for (int i = 0; i < 60 && still_established(fd); ++i) {
    send_all(fd, std::string(10, ' '));
    answer += read_until_closed(fd, 250ms);
  }
  ::close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
}

TEST_F(HostileClients, BehindATrustedProxyTheForwardedClientIsCapped) {
  auto request = [](const char* client) {
    return std::string{"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "X-Forwarded-For: 6.6.6.6, "} +
           client + "\r\n\r\n";
  };
  // Keep-alive connections through the proxy, all for one client.
  std::vector<int> fds;
  for (std::size_t i = 0; i < max_per_address; ++i) {
    int fd = connect_from(proxy, stack_->port());
    ASSERT_GE(fd, 0);
    send_all(fd, request("198.51.100.7"));
    auto head = read_http_head(fd, 5s);
    ASSERT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << i << ": " << head;
    fds.push_back(fd);
  }
  int over = connect_from(proxy, stack_->port());
  ASSERT_GE(over, 0);
  send_all(over, request("198.51.100.7"));
  auto refused = read_http_head(over, 5s);
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0u) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  ::close(over);
  // Another client through the same proxy is counted on its own.
  int other = connect_from(proxy, stack_->port());
  ASSERT_GE(other, 0);
  send_all(other, request("198.51.100.8"));
  EXPECT_EQ(read_http_head(other, 5s).rfind("HTTP/1.1 200", 0), 0u);
  ::close(other);
  // An untrusted peer's X-Forwarded-For is ignored: it is its own client.
  int direct = connect_from("127.0.0.1", stack_->port());
  ASSERT_GE(direct, 0);
  send_all(direct, request("198.51.100.7"));
  EXPECT_EQ(read_http_head(direct, 5s).rfind("HTTP/1.1 200", 0), 0u);
  ::close(direct);
  for (int fd : fds)
    ::close(fd);
}

TEST_F(HostileClients, UpgradedSocketWithoutInitSessionIsClosed) {
  int fd = raw_websocket();
  ASSERT_GE(fd, 0);
  auto got = read_until_closed(fd, 10 * timeout_ms * 1ms);
  ::close(fd);
  EXPECT_NE(got.find("NOT_INITIALIZED"), std::string::npos) << got;
  // A close frame (opcode 8) with 1008, policy violation.
  EXPECT_NE(got.find("\x88\x02\x03\xf0"), std::string::npos);
}

TEST_F(HostileClients, OversizeTextMessageGetsAnErrorAndTheSocketStays) {
  auto c = open_ready(*stack_, alice_, session_);
  ASSERT_TRUE(c);
  c->send_text(R"({"type":"ping","timestamp":")" + std::string(max_text, '7') +
               "\"}");
  auto err = c->read_type("error");
  ASSERT_TRUE(err);
  auto j = json::parse(*err);
  EXPECT_EQ(j["code"], "FRAME_TOO_LARGE");
  EXPECT_EQ(j["recoverable"], true);
  EXPECT_NE(j["message"].get<std::string>().find(std::to_string(max_text)),
            std::string::npos)
      << *err;
  // A text message just under the limit is parsed (and refused for its
  // non-numeric timestamp), and the connection still works.
  c->send_text(R"({"type":"ping","timestamp":")" +
               std::string(max_text - 40, '7') + "\"}");
  auto bad = c->read_type("error");
  ASSERT_TRUE(bad);
  EXPECT_EQ(json::parse(*bad)["code"], "INVALID_JSON");
  c->send_text(R"({"type":"ping","timestamp":42})");
  auto pong = c->read_type("pong");
  ASSERT_TRUE(pong);
  EXPECT_EQ(json::parse(*pong)["timestamp"], 42);
}

TEST_F(HostileClients, NeverReadingPeerIsClosedByTheWriteTimeout) {
  int fd = raw_websocket("127.0.0.1", 4096);
  ASSERT_GE(fd, 0);
  send_all(fd, ws_frame(R"({"type":"init_session"})"));
  // Pongs pile up in both socket buffers until the server's write blocks;
  // the server must then close the socket itself.
  for (int i = 0; i < 3000 && still_established(fd); ++i)
    send_all(fd, ws_frame(R"({"type":"ping","timestamp":)" + std::to_string(i) +
                          "}"));
  EXPECT_TRUE(closed_by_server_within(fd, 10 * timeout_ms * 1ms));
  ::close(fd);
  EXPECT_EQ(http_call(stack_->port(), "GET", "/healthz").status, 200u);
}

TEST_F(HostileClients, NeverReadingPingersCannotGrowTheServerPastItsCaps) {
  // The measured attack: 64 pings with a 1 MB timestamp from a client that
  // never reads, here from several connections at once.
  constexpr int connections = 2;
  const pid_t server = stack_->server().pid();
  const auto before = rss_kib(server);
  ASSERT_GT(before, 0u);
  std::vector<int> fds;
  for (int i = 0; i < connections; ++i) {
    // A session each: a second connection would replace the first.
    int fd = raw_websocket("127.0.0.1", 4096, stack_->make_session(alice_));
    ASSERT_GE(fd, 0);
    send_all(fd, ws_frame(R"({"type":"init_session"})"));
    fds.push_back(fd);
  }
  const std::string big = ws_frame(R"({"type":"ping","timestamp":")" +
                                   std::string(1 << 20, '9') + "\"}");
  for (int round = 0; round < 64; ++round)
    for (int fd : fds)
      if (still_established(fd))
        send_all(fd, big);
  // Then as many small pings as the server will take: pongs queue up.
  for (int round = 0; round < 200; ++round)
    for (int fd : fds)
      if (still_established(fd))
        send_all(fd, ws_frame(R"({"type":"ping","timestamp":1})"));
  std::this_thread::sleep_for(500ms);
  const auto after = rss_kib(server);
  // Per connection: one text message being read, its queue of answers,
  // the read buffer (shrunk past 256 KiB) and Beast's buffers; plus a
  // fixed allowance for allocator and sanitizer bookkeeping. Echoing the
  // 1 MB timestamps would have pinned 64 MB per connection.
  const std::size_t per_connection_kib =
      (max_text + max_queued_text + 256 * 1024 + 64 * 1024) / 1024;
  const std::size_t allowance_kib = 24 * 1024;
  EXPECT_LT(after, before + connections * per_connection_kib + allowance_kib)
      << "VmRSS " << before << " KiB -> " << after << " KiB";
  std::cout << "server VmRSS " << before << " KiB -> " << after << " KiB\n";
  for (int fd : fds)
    ::close(fd);
}

// 22,000 connections sending half a request line, from ten loopback
// source addresses (127.0.0.20-29: not the trusted proxy, whose own
// connections count only toward the node's total), held by four child
// processes (each has its own descriptor limit). Over-cap connections must be
// refused cheaply, /healthz must keep answering and the log must stay small.
TEST_F(HostileClients, ConnectionFloodIsRefusedAndTheNodeStaysUp) {
  constexpr int children = 4;
  constexpr int per_child = 5500;
  constexpr int sources = 10;
  const int port = stack_->port();
  const pid_t server = stack_->server().pid();
  const auto log_before = log_size();
  const auto sockets_before = open_sockets(server);

  struct child {
    pid_t pid;
    int report; // child -> parent
    int go;     // parent -> child
  };
  std::vector<child> kids;
  for (int k = 0; k < children; ++k) {
    int up[2], down[2];
    ASSERT_EQ(::pipe(up), 0);
    ASSERT_EQ(::pipe(down), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: raw system calls only, then _exit.
      ::close(up[0]);
      ::close(down[1]);
      std::vector<int> fds;
      fds.reserve(per_child);
      int failed = 0;
      for (int i = 0; i < per_child; ++i) {
        int n = k * per_child + i;
        std::string src = "127.0.0." + std::to_string(20 + n % sources);
        int fd = connect_from(src.c_str(), port);
        if (fd < 0) {
          ++failed;
          continue;
        }
        ::send(fd, "GET /heal", 9, MSG_NOSIGNAL);
        fds.push_back(fd);
      }
      char c = 0;
      (void)::write(up[1], "r", 1); // all connected
      (void)::read(down[0], &c, 1); // parent has checked the node
      int refused = 0, closed = 0, open = 0;
      for (int fd : fds) {
        char buf[64] = {0};
        auto n = ::recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
        if (n > 0 && std::strstr(buf, " 503 ") && std::strstr(buf, "HTTP/1.1"))
          ++refused;
        else if (still_established(fd) && n < 0 && errno == EAGAIN)
          ++open;
        else
          ++closed;
      }
      std::string line = std::to_string(refused) + " " +
                         std::to_string(closed) + " " + std::to_string(open) +
                         " " + std::to_string(failed) + "\n";
      (void)::write(up[1], line.data(), line.size());
      ::_exit(0);
    }
    ::close(up[1]);
    ::close(down[0]);
    kids.push_back({pid, up[0], down[1]});
  }
  // While the children connect, the server holds what the caps let in.
  // The operator's probe goes to the admin listener, whose accept queue the
  // flood does not fill: it must answer all along.
  std::size_t most_sockets = 0;
  int probes = 0, probe_failures = 0;
  double slowest_probe_ms = 0;
  for (auto& kid : kids) {
    pollfd p{kid.report, POLLIN, 0};
    while (::poll(&p, 1, 20) == 0) {
      most_sockets = std::max(most_sockets, open_sockets(server));
      const auto sent = std::chrono::steady_clock::now();
      try {
        probe_failures +=
            http_call(admin_port, "GET", "/healthz").status != 200;
      } catch (const std::exception&) {
        ++probe_failures;
      }
      ++probes;
      slowest_probe_ms = std::max(slowest_probe_ms,
                                  std::chrono::duration<double, std::milli>(
                                      std::chrono::steady_clock::now() - sent)
                                      .count());
    }
    char c = 0;
    ASSERT_EQ(::read(kid.report, &c, 1), 1);
  }
  EXPECT_EQ(probe_failures, 0) << "of " << probes << " admin probes";
  std::cout << "admin /healthz during the flood: " << probes
            << " probes, slowest " << slowest_probe_ms << " ms\n";
  // Only the probes there: the API is not reachable through it.
  EXPECT_EQ(http_call(admin_port, "GET", "/api/try-on/stats/").status, 404u);
  EXPECT_EQ(http_call(admin_port, "GET", "/metrics").status, 200u);
  // Every connection is made (and most refused): the node still answers.
  auto health = http_call(port, "GET", "/healthz");
  EXPECT_EQ(health.status, 200u) << health.body;
  const auto log_during = log_size();
  int refused = 0, closed = 0, open = 0, failed = 0;
  for (auto& kid : kids) {
    (void)::write(kid.go, "g", 1);
    std::string text;
    char buf[128];
    ssize_t n;
    while ((n = ::read(kid.report, buf, sizeof buf)) > 0)
      text.append(buf, static_cast<std::size_t>(n));
    std::istringstream in{text};
    int r = 0, c = 0, o = 0, f = 0;
    in >> r >> c >> o >> f;
    refused += r;
    closed += c;
    open += o;
    failed += f;
    int status = 0;
    ::waitpid(kid.pid, &status, 0);
    ::close(kid.report);
    ::close(kid.go);
  }
  const int total = children * per_child;
  std::cout << "flood: " << refused << " refused (503), " << closed
            << " closed, " << open << " open, " << failed
            << " failed; server sockets at most " << most_sockets << " (before "
            << sockets_before << "); log +" << log_during - log_before
            << " bytes\n";
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(refused + closed + open + failed, total);
  // The server held no more than the per-address caps let in (plus the
  // socket being refused, or a database connection, at a sample)...
  EXPECT_LE(most_sockets, sockets_before + sources * max_per_address + 16);
  // ...and answered most of the rest 503 at once. (Connections the kernel
  // completed but the server has not accepted yet still look open to the
  // client; some 503s are lost to the reset a close over unread bytes
  // sends.)
  EXPECT_GT(refused, total / 4) << "closed " << closed << ", open " << open;
  // One line per interval for the refusals, not one per connection.
  EXPECT_LT(log_during - log_before, 64u * 1024)
      << stack_->server().log().substr(log_before, 4096);
  EXPECT_EQ(http_call(port, "GET", "/healthz").status, 200u);
}

} // namespace
