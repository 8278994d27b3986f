#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

/// The address to connect to: "localhost" becomes 127.0.0.1.
std::string connect_address(const bench_url& url);

/// "host:port" for the Host header (IPv6 in brackets).
std::string host_header(const bench_url& url);

/// `url` with a path appended to its target (no doubled '/').
std::string join_target(const bench_url& url, std::string_view path);

} // namespace tryon::bench
