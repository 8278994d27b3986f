#include "bench/harness/bench_url.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace tryon::bench {

std::optional<bench_url> parse_bench_url(std::string_view url) {
  bench_url out;
  auto sep = url.find("://");
  if (sep == std::string_view::npos)
    return std::nullopt;
  out.scheme = std::string{url.substr(0, sep)};
  if (out.scheme != "http" && out.scheme != "ws" && out.scheme != "https" &&
      out.scheme != "wss")
    return std::nullopt;
  out.tls = out.scheme == "https" || out.scheme == "wss";
  url.remove_prefix(sep + 3);
  auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  out.target =
      slash == std::string_view::npos ? "/" : std::string{url.substr(slash)};
  if (authority.find('@') != std::string_view::npos || authority.empty())
    return std::nullopt;
  std::string_view port_text;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return std::nullopt;
    out.host = std::string{authority.substr(1, close - 1)};
    auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        return std::nullopt;
      port_text = rest.substr(1);
    }
  } else {
    auto colon = authority.rfind(':');
    out.host = std::string{authority.substr(0, colon)};
    if (colon != std::string_view::npos)
      port_text = authority.substr(colon + 1);
  }
  if (out.host.empty())
    return std::nullopt;
  out.port = out.tls ? 443 : 80;
  if (!port_text.empty()) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port_text.data(),
                                     port_text.data() + port_text.size(), p);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() ||
        p == 0 || p > 65535)
      return std::nullopt;
    out.port = static_cast<std::uint16_t>(p);
  }
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
