#include "config/url.hpp"

#include <uriparser/Uri.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>

namespace tryon::config {

namespace {

std::string_view range_text(const UriTextRangeA& r) {
  if (r.first == nullptr || r.afterLast == nullptr)
    return {};
  return {r.first, static_cast<std::size_t>(r.afterLast - r.first)};
}

bool range_set(const UriTextRangeA& r) {
  return r.first != nullptr;
}

/// Frees what uriparser allocated, whatever way the parse ends.
struct uri_members {
  UriUriA uri{};
  ~uri_members() { uriFreeUriMembersA(&uri); }
};

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

} // namespace

std::uint16_t default_port(std::string_view scheme) {
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

std::optional<std::string> percent_decode(std::string_view text,
                                          bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size())
        return std::nullopt;
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    // A NUL, raw or decoded, would cut a C string short (paths, AUTH).
    if (c == '\0')
      return std::nullopt;
    out += c;
  }
  return out;
}

std::optional<url_parts> parse_url(std::string_view url) {
  if (url.empty())
    return std::nullopt;
  uri_members parsed;
  const char* error_at = nullptr;
  if (uriParseSingleUriExA(&parsed.uri, url.data(), url.data() + url.size(),
                           &error_at) != URI_SUCCESS)
    return std::nullopt;
  const UriUriA& u = parsed.uri;
  const auto scheme = range_text(u.scheme);
  // No authority ("mailto:x", "localhost:8002"), an empty host
  // ("file:///x", "ws://"), or an IPvFuture literal: not a URL we can use.
  if (scheme.empty() || !range_set(u.hostText) ||
      range_text(u.hostText).empty() || range_set(u.hostData.ipFuture))
    return std::nullopt;

  url_parts out;
  out.scheme.reserve(scheme.size());
  for (char c : scheme)
    out.scheme +=
        static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  out.host = std::string{range_text(u.hostText)};
  out.ipv6 = u.hostData.ip6 != nullptr;

  if (range_set(u.userInfo)) {
    out.has_user_info = true;
    const auto info = range_text(u.userInfo);
    const auto colon = info.find(':');
    auto user = percent_decode(info.substr(0, colon));
    if (!user)
      return std::nullopt;
    out.user = std::move(*user);
    if (colon != std::string_view::npos) {
      auto password = percent_decode(info.substr(colon + 1));
      if (!password)
        return std::nullopt;
      out.password = std::move(*password);
    }
  }

  if (range_set(u.portText)) {
    const auto text = range_text(u.portText);
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
        value == 0 || value > 65535)
      return std::nullopt;
    out.port = static_cast<std::uint16_t>(value);
    out.port_given = true;
  } else {
    out.port = default_port(out.scheme);
  }

  // uriparser has validated the whole text, so the authority (after
  // "scheme://") holds none of '/', '?', '#': what follows its end is the
  // path, the query and the fragment, still percent-encoded as a request
  // line carries them.
  auto rest = url.substr(scheme.size() + 3);
  rest = rest.substr(std::min(rest.find_first_of("/?#"), rest.size()));
  rest = rest.substr(0, rest.find('#'));
  const auto question = rest.find('?');
  const auto path = rest.substr(0, question);
  out.path = path.empty() ? "/" : std::string{path};
  out.target = out.path;
  if (question != std::string_view::npos) {
    out.query = std::string{rest.substr(question + 1)};
    out.target += '?' + out.query;
  }
  return out;
}

std::string url_host(const url_parts& url) {
  return url.ipv6 ? '[' + url.host + ']' : url.host;
}

std::string host_and_port(const url_parts& url) {
  return url_host(url) + ':' + std::to_string(url.port);
}

std::optional<std::string> origin_of(std::string_view url) {
  auto parts = parse_url(url);
  if (!parts)
    return std::nullopt;
  auto origin = parts->scheme + "://" + url_host(*parts);
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
