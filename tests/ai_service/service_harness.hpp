#pragma once

// Test harness for the tryon-ai binary: spawns it on a free loopback port
// and talks to it with a blocking Beast WebSocket client (references are
// served by tests/support/one_shot_server.hpp). Header-only.

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace tryon::ai::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

/// A loopback port that was free a moment ago.
inline std::uint16_t free_port() {
  net::io_context ioc;
  tcp::acceptor a(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

/// The tryon-ai process; SIGKILL on destruction unless stopped already.
class service_process {
public:
  explicit service_process(std::vector<std::string> extra) {
    port_ = free_port();
    std::vector<std::string> args = {std::string{TRYON_BINARY_DIR} +
                                         "/ai_service/tryon-ai",
                                     "--listen",
                                     "127.0.0.1",
                                     "--port",
                                     std::to_string(port_),
                                     "--log-level",
                                     "warn"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) !=
        0)
      pid_ = -1;
  }

  ~service_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  /// Sends SIGTERM and returns the exit status (-1 if it did not exit).
  int stop() {
    if (pid_ <= 0)
      return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200; ++i) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }

  bool started() const { return pid_ > 0; }
  std::uint16_t port() const { return port_; }

private:
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

/// A blocking WebSocket client with a read deadline.
class client {
public:
  /// Connects, retrying while the service starts.
  bool connect(std::uint16_t port) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      beast::error_code ec;
      beast::get_lowest_layer(ws_).connect(
          tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
      if (!ec) {
        ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws/tryon", ec);
        return !ec;
      }
      beast::get_lowest_layer(ws_).close();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  void send_text(const std::string& s) {
    ws_.text(true);
    ws_.write(net::buffer(s));
  }

  void send_binary(const std::string& s) {
    ws_.binary(true);
    ws_.write(net::buffer(s));
  }

  /// Next message but capacity ones (kept in `capacities`); `binary`
  /// tells its kind. Throws after 20 s of silence.
  std::string read(bool& binary) {
    for (;;) {
      beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(20));
      beast::flat_buffer buf;
      ws_.read(buf);
      binary = ws_.got_binary();
      auto s = beast::buffers_to_string(buf.data());
      if (binary || s.find(R"("type":"capacity")") == std::string::npos)
        return s;
      capacities.push_back(s); // sent at any time (AI credits)
    }
  }

  /// The capacity messages read so far (and skipped by read()).
  std::vector<std::string> capacities;

  std::string read_text() {
    bool binary = false;
    std::string s = read(binary);
    EXPECT_FALSE(binary) << "expected a text message";
    return s;
  }

  std::string read_binary() {
    bool binary = false;
    std::string s = read(binary);
    EXPECT_TRUE(binary) << "expected a binary message: " << s.substr(0, 200);
    return s;
  }

  void close() { ws_.close(websocket::close_code::normal); }

private:
  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_{ioc_};
};

} // namespace tryon::ai::test
