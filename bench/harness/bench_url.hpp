#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tryon::bench {

/// The parts of an http(s):// or ws(s):// URL the harness needs.
struct bench_url {
  std::string scheme;       ///< "http", "https", "ws" or "wss"
  std::string host;         ///< without IPv6 brackets
  std::uint16_t port = 0;   ///< 80 (443 with TLS) when absent
  std::string target = "/"; ///< path + query
  bool tls = false;         ///< https or wss
};

/// Parses http://host[:port][/path], https://, ws:// or wss://...; nullopt
/// when malformed or another scheme.
std::optional<bench_url> parse_bench_url(std::string_view url);

/// The scheme without TLS: "http" for http/https, "ws" for ws/wss.
std::string plain_scheme(const bench_url& url);

/// True for "localhost", 127.0.0.0/8 literals and "::1": the only hosts the
/// harness will load.
bool is_loopback_host(std::string_view host);

/// An IPv4 address of one of this network namespace's interfaces.
struct local_ipv4 {
  std::uint32_t address = 0; ///< host byte order
  int prefix = 32;           ///< the interface's netmask length
};

/// The IPv4 addresses of this network namespace's interfaces
/// (getifaddrs).
std::vector<local_ipv4> local_ipv4_addresses();

/// True when `host` is a private IPv4 literal (10/8, 172.16/12,
/// 192.168/16) at the far end of a point-to-point link of `local`: some
/// local address with a /30 or /31 prefix shares its subnet and is not
/// `host` itself. That is the server side of a veth pair a bench script
/// made (bench/uplink/run.sh), the one kind of non-loopback target the
/// harness accepts, and only when named with --allow-host.
bool is_point_to_point_peer(std::string_view host,
                            const std::vector<local_ipv4>& local);

/// The address to connect to: "localhost" becomes 127.0.0.1.
std::string connect_address(const bench_url& url);

/// "host:port" for the Host header (IPv6 in brackets).
std::string host_header(const bench_url& url);

/// `url` with a path appended to its target (no doubled '/').
std::string join_target(const bench_url& url, std::string_view path);

} // namespace tryon::bench
