#include "raw_socket.hpp"

#include <filesystem>
#include <fstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tryon::testing {

/// A TCP connection from `source` (127.0.0.x) to the server, with a
/// receive buffer of `rcvbuf` bytes (0: the kernel's); -1 on failure.
int connect_from(const char* source, int port, int rcvbuf, const char* server) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  // Before connect(), so that the window the server sees is small too.
  if (rcvbuf > 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  const bool bind_source = source != nullptr && *source != '\0';
  if (bind_source)
    inet_pton(AF_INET, source, &a.sin_addr);
  sockaddr_in b{};
  b.sin_family = AF_INET;
  b.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, server, &b.sin_addr);
  if ((bind_source &&
       ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&b), sizeof b) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, const std::string& bytes) {
  std::size_t off = 0;
  while (off < bytes.size()) {
    auto n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0)
      return;
    off += static_cast<std::size_t>(n);
  }
}

/// The kernel's view of the connection: false once the server has closed
/// its end (FIN or reset), without reading a byte of what it sent.
bool still_established(int fd) {
  tcp_info info{};
  socklen_t len = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0)
    return false;
  return info.tcpi_state == TCP_ESTABLISHED;
}

/// Polls still_established() until it turns false or `limit` passes.
bool closed_by_server_within(int fd, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (still_established(fd)) {
    if (std::chrono::steady_clock::now() > until)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

/// A masked client WebSocket frame (text unless `opcode` says otherwise).
std::string ws_frame(const std::string& payload, std::uint8_t opcode) {
  std::string f;
  f += static_cast<char>(0x80 | opcode);
  auto n = payload.size();
  if (n < 126) {
    f += static_cast<char>(0x80 | n);
  } else if (n < 65536) {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>(n >> 8);
    f += static_cast<char>(n & 0xff);
  } else {
    f += static_cast<char>(0x80 | 127);
    for (int i = 7; i >= 0; --i)
      f += static_cast<char>((n >> (8 * i)) & 0xff);
  }
  const char mask[4] = {0x12, 0x34, 0x56, 0x78};
  f.append(mask, 4);
  for (std::size_t i = 0; i < n; ++i)
    f += static_cast<char>(payload[i] ^ mask[i % 4]);
  return f;
}

/// Reads the upgrade answer (up to the blank line) with a deadline.
std::string read_http_head(int fd, std::chrono::milliseconds limit) {
  std::string out;
  auto until = std::chrono::steady_clock::now() + limit;
  while (out.find("\r\n\r\n") == std::string::npos &&
         std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0)
      continue;
    char c;
    if (::recv(fd, &c, 1, 0) != 1) // byte by byte: leave frames unread
      break;
    out += c;
  }
  return out;
}

/// Everything the server sends until it closes or `limit` passes.
std::string read_until_closed(int fd, std::chrono::milliseconds limit) {
  std::string out;
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0)
      continue;
    char buf[4096];
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

/// Open sockets of `pid`.
std::size_t open_sockets(pid_t pid) {
  std::size_t n = 0;
  auto dir = "/proc/" + std::to_string(pid) + "/fd";
  for (const auto& e : std::filesystem::directory_iterator{dir}) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(e.path(), ec);
    if (!ec && target.string().rfind("socket:", 0) == 0)
      ++n;
  }
  return n;
}

/// Resident memory of `pid` in KiB (VmRSS), 0 when unreadable.
std::size_t rss_kib(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stoul(line.substr(6));
  return 0;
}

std::string server_options() {
  // The sanitizer's quarantine keeps freed blocks resident (256 MB by
  // default), which would hide what the server itself holds.
  std::string asan =
      std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "";
  return (asan.empty() ? "" : asan + ":") + "quarantine_size_mb=4";
}

} // namespace tryon::testing
