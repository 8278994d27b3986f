#include "apps/tryonctl_http.hpp"
#include "apps/tryonctl_url.hpp"

#include <cstring>
#include <stdexcept>

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace tryon::ctl {

namespace {

/// A connected TCP socket (closed on destruction).
struct socket_fd {
  int fd = -1;
  ~socket_fd() {
    if (fd >= 0)
      ::close(fd);
  }
};

void connect_to(socket_fd& s, const http_url& t, std::chrono::seconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(t.host.c_str(), t.port.c_str(), &hints, &found))
    throw std::runtime_error(t.host + ": " + ::gai_strerror(rc));
  std::string why = "no address";
  for (auto* a = found; a; a = a->ai_next) {
    s.fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, 0);
    if (s.fd < 0)
      continue;
    timeval tv{static_cast<time_t>(timeout.count()), 0};
    ::setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(s.fd, a->ai_addr, a->ai_addrlen) == 0)
      break;
    why = std::strerror(errno);
    ::close(s.fd);
    s.fd = -1;
  }
  ::freeaddrinfo(found);
  if (s.fd < 0)
    throw std::runtime_error("cannot connect to " + t.host + ":" + t.port +
                             ": " + why);
}

} // namespace

http_result http_get(const std::string& url, const std::string& token,
                     std::chrono::seconds timeout) {
  auto t = parse_http_url(url);
  socket_fd s;
  connect_to(s, t, timeout);
  std::string req = "GET " + t.path + " HTTP/1.1\r\nHost: " + t.host +
                    "\r\nAccept: application/json\r\nConnection: close\r\n";
  if (!token.empty())
    req += "Authorization: Token " + token + "\r\n";
  req += "\r\n";
  for (std::size_t sent = 0; sent < req.size();) {
    auto n = ::send(s.fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buf[16384];
  for (;;) {
    auto n = ::recv(s.fd, buf, sizeof buf, 0);
    if (n < 0)
      throw std::runtime_error("no answer from " + url);
    if (n == 0)
      break;
    raw.append(buf, static_cast<std::size_t>(n));
  }
  auto head_end = raw.find("\r\n\r\n");
  if (raw.compare(0, 5, "HTTP/") != 0 || head_end == std::string::npos)
    throw std::runtime_error("not an HTTP answer from " + url);
  http_result r;
  r.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  r.body = raw.substr(head_end + 4);
  return r;
}

} // namespace tryon::ctl
