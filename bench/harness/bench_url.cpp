#include "bench/harness/bench_url.hpp"

#include "config/url.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

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

std::vector<local_ipv4> local_ipv4_addresses() {
  std::vector<local_ipv4> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0)
    return out;
  for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != AF_INET)
      continue;
    local_ipv4 a;
    a.address = ntohl(
        reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr);
    if (i->ifa_netmask != nullptr) {
      const std::uint32_t mask =
          ntohl(reinterpret_cast<const sockaddr_in*>(i->ifa_netmask)
                    ->sin_addr.s_addr);
      a.prefix = __builtin_popcount(mask);
    }
    out.push_back(a);
  }
  freeifaddrs(list);
  return out;
}

bool is_point_to_point_peer(std::string_view host,
                            const std::vector<local_ipv4>& local) {
  in_addr v4{};
  const std::string h{host};
  if (inet_pton(AF_INET, h.c_str(), &v4) != 1)
    return false;
  const std::uint32_t a = ntohl(v4.s_addr);
  const bool is_private = (a >> 24) == 10 || (a >> 20) == 0xac1 || // 172.16/12
                          (a >> 16) == 0xc0a8;                     // 192.168
  if (!is_private)
    return false;
  for (const auto& l : local) {
    if (l.prefix < 30 || l.prefix > 31 || l.address == a)
      continue;
    const std::uint32_t mask = ~std::uint32_t{0} << (32 - l.prefix);
    if ((l.address & mask) == (a & mask))
      return true;
  }
  return false;
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
