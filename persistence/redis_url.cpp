#include "persistence/redis_url.hpp"

#include <charconv>

namespace tryon::persistence {

namespace {

bool parse_int(std::string_view s, int& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

} // namespace

std::optional<redis_address> parse_redis_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (url.substr(0, scheme.size()) != scheme)
    return std::nullopt;
  url.remove_prefix(scheme.size());
  redis_address a;
  if (auto slash = url.find('/'); slash != std::string_view::npos) {
    auto db = url.substr(slash + 1);
    if (!db.empty() && (!parse_int(db, a.db) || a.db < 0))
      return std::nullopt;
    url = url.substr(0, slash);
  }
  if (auto at = url.rfind('@'); at != std::string_view::npos) {
    auto info = url.substr(0, at);
    auto colon = info.find(':');
    if (colon != std::string_view::npos)
      a.password = std::string(info.substr(colon + 1));
    url.remove_prefix(at + 1);
  }
  if (auto colon = url.rfind(':'); colon != std::string_view::npos) {
    if (!parse_int(url.substr(colon + 1), a.port) || a.port <= 0 ||
        a.port > 65535)
      return std::nullopt;
    url = url.substr(0, colon);
  }
  if (url.empty())
    return std::nullopt;
  a.host = std::string(url);
  return a;
}

} // namespace tryon::persistence
