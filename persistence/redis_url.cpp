#include "persistence/redis_url.hpp"

#include "config/url.hpp"

#include <charconv>

namespace tryon::persistence {

std::optional<redis_address> parse_redis_url(std::string_view url) {
  auto parts = config::parse_url(url);
  if (!parts || parts->scheme != "redis")
    return std::nullopt;
  redis_address a;
  a.host = parts->host;
  a.port = parts->port;
  a.user = parts->user;
  a.password = parts->password;
  // The path names the database: "", "/" or "/<n>".
  std::string_view db = parts->path;
  db.remove_prefix(1);
  if (!db.empty()) {
    auto [end, ec] = std::from_chars(db.data(), db.data() + db.size(), a.db);
    if (ec != std::errc{} || end != db.data() + db.size() || a.db < 0)
      return std::nullopt;
  }
  return a;
}

} // namespace tryon::persistence
