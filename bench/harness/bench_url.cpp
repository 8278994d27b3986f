#include "bench/harness/bench_url.hpp"

#include "config/url.hpp"

#include <arpa/inet.h>

namespace tryon::bench {

std::optional<bench_url> parse_bench_url(std::string_view url) {
  auto parts = config::parse_url(url);
  // The harness sends no credentials in URLs: user info is refused.
  if (!parts || parts->has_user_info)
    return std::nullopt;
  bench_url out;
  out.scheme = parts->scheme;
  if (out.scheme != "http" && out.scheme != "ws" && out.scheme != "https" &&
      out.scheme != "wss")
    return std::nullopt;
  out.tls = out.scheme == "https" || out.scheme == "wss";
  out.host = parts->host;
  out.port = parts->port;
  out.target = parts->target;
  return out;
}

std::string plain_scheme(const bench_url& url) {
  if (url.scheme == "https")
    return "http";
  if (url.scheme == "wss")
    return "ws";
  return url.scheme;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]")
    return true;
  in_addr v4{};
  std::string h{host};
  if (inet_pton(AF_INET, h.c_str(), &v4) != 1)
    return false;
  return (ntohl(v4.s_addr) >> 24) == 127;
}

std::string connect_address(const bench_url& url) {
  return url.host == "localhost" ? "127.0.0.1" : url.host;
}

std::string host_header(const bench_url& url) {
  std::string host =
      url.host.find(':') != std::string::npos ? '[' + url.host + ']' : url.host;
  return host + ':' + std::to_string(url.port);
}

std::string join_target(const bench_url& url, std::string_view path) {
  std::string base = url.target;
  auto q = base.find('?');
  if (q != std::string::npos)
    base.erase(q);
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  if (path.empty() || path.front() != '/')
    base += '/';
  return base + std::string{path};
}

} // namespace tryon::bench
