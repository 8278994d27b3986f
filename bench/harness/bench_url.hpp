#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tryon::bench {

/// The parts of an http:// or ws:// URL the harness needs.
struct bench_url {
  std::string scheme;       ///< "http" or "ws"
  std::string host;         ///< without IPv6 brackets
  std::uint16_t port = 0;   ///< 80 when absent
  std::string target = "/"; ///< path + query
};

/// Parses http://host[:port][/path] or ws://...; nullopt when malformed or
/// another scheme (https/wss are not supported: loopback only).
std::optional<bench_url> parse_bench_url(std::string_view url);

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
