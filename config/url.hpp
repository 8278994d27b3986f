#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tryon::config {

/// An absolute URL split by uriparser (RFC 3986): the one URL parser of the
/// project (server configuration, Redis, the AI link, the bench harness,
/// the reference AI service).
struct url_parts {
  std::string scheme; ///< lower case
  bool has_user_info = false;
  std::string user;         ///< percent-decoded; empty when absent
  std::string password;     ///< percent-decoded; empty when absent
  std::string host;         ///< IPv6 literals without their brackets
  bool ipv6 = false;        ///< host was an [IPv6] literal
  std::uint16_t port = 0;   ///< the scheme's default when absent
  bool port_given = false;  ///< the URL named a port
  std::string path = "/";   ///< still percent-encoded; "/" when empty
  std::string query;        ///< without the '?', still percent-encoded
  std::string target = "/"; ///< path [+ '?' + query]: a request line's target
};

/// Parses scheme://[user[:password]@]host[:port][/path][?query][#fragment];
/// nullopt when it is not a valid RFC 3986 URI, has no authority, an empty
/// host, or a port that is empty, 0 or above 65535. The fragment is dropped.
std::optional<url_parts> parse_url(std::string_view url);

/// `text` with %XX sequences decoded (and '+' as a space when
/// `plus_is_space`, as in a query string); nullopt for a truncated or
/// non-hex sequence or a NUL byte, raw or decoded.
std::optional<std::string> percent_decode(std::string_view text,
                                          bool plus_is_space = false);

/// The host as it appears in a URL or a Host header: IPv6 in brackets.
std::string url_host(const url_parts& url);

/// "host:port" for a Host header or a log line (IPv6 in brackets).
std::string host_and_port(const url_parts& url);

/// The port a scheme uses when the URL names none (0: unknown scheme).
std::uint16_t default_port(std::string_view scheme);

/// `url` with any password (in the user info or a `password=` query
/// parameter) replaced by "***", fit for a log or an error message.
std::string redact_url(std::string_view url);

/// "scheme://host[:port]" of a URL (the origin a browser would send).
std::optional<std::string> origin_of(std::string_view url);

} // namespace tryon::config
