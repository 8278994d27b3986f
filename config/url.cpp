#include "config/url.hpp"

#include <charconv>

namespace tryon::config {

namespace {

std::uint16_t default_port(const std::string& scheme) {
  if (scheme == "http" || scheme == "ws")
    return 80;
  if (scheme == "https" || scheme == "wss")
    return 443;
  if (scheme == "redis")
    return 6379;
  if (scheme == "postgresql" || scheme == "postgres")
    return 5432;
  return 0;
}

} // namespace

std::optional<url_parts> parse_url(std::string_view url) {
  auto sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0)
    return std::nullopt;
  url_parts out;
  out.scheme = std::string{url.substr(0, sep)};
  auto rest = url.substr(sep + 3);
  auto slash = rest.find_first_of("/?");
  auto authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    out.target = std::string{rest.substr(slash)};
    if (out.target.front() == '?')
      out.target.insert(out.target.begin(), '/');
  }
  if (auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos &&
      authority.find(']') == std::string_view::npos) {
    auto port_text = authority.substr(colon + 1);
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port_text.data(),
                                   port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || p != port_text.data() + port_text.size() ||
        value == 0 || value > 65535)
      return std::nullopt;
    out.port = static_cast<std::uint16_t>(value);
    authority = authority.substr(0, colon);
  } else {
    out.port = default_port(out.scheme);
  }
  if (authority.empty())
    return std::nullopt;
  out.host = std::string{authority};
  return out;
}

std::optional<std::string> origin_of(std::string_view url) {
  auto parts = parse_url(url);
  if (!parts)
    return std::nullopt;
  auto origin = parts->scheme + "://" + parts->host;
  if (parts->port != default_port(parts->scheme))
    origin += ":" + std::to_string(parts->port);
  return origin;
}

std::string redact_url(std::string_view text) {
  std::string out{text};
  bool any_scheme = false;
  for (auto p = out.find("://"); p != std::string::npos;
       p = out.find("://", p + 3)) {
    any_scheme = true;
    auto start = p + 3;
    auto end = out.find_first_of("/?# \t'\"", start);
    auto authority = out.substr(
        start, (end == std::string::npos ? out.size() : end) - start);
    auto at = authority.rfind('@');
    auto colon = authority.find(':');
    if (at != std::string::npos && colon < at)
      out.replace(start + colon + 1, at - colon - 1, "***");
  }
  // Not a URL at all: whatever precedes an '@' may be a password.
  if (auto at = out.find('@'); !any_scheme && at != std::string::npos)
    out.replace(0, at, "***");
  for (auto p = out.find("password="); p != std::string::npos;
       p = out.find("password=", p + 1)) {
    auto value = p + 9;
    auto end = out.find_first_of("& \t'\"", value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value,
                "***");
  }
  return out;
}

} // namespace tryon::config
