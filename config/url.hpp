#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tryon::config {

/// The parts of an absolute URL this service needs (ws://, http://,
/// redis://, postgresql://).
struct url_parts {
  std::string scheme;
  std::string host;
  std::uint16_t port = 0;   ///< the scheme's default when absent
  std::string target = "/"; ///< path + query
};

/// Parses scheme://[user@]host[:port][/path]; nullopt when malformed.
std::optional<url_parts> parse_url(std::string_view url);

/// `url` with any password (in the user info or a `password=` query
/// parameter) replaced by "***", fit for a log or an error message.
std::string redact_url(std::string_view url);

/// "scheme://host[:port]" of a URL (the origin a browser would send).
std::optional<std::string> origin_of(std::string_view url);

} // namespace tryon::config
