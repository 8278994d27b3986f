#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tryon::persistence {

/// Where a redis:// URL points.
struct redis_address {
  std::string host;
  int port = 6379;
  int db = 0;
  std::string user;     ///< ACL user (Redis 6+); empty: the default user
  std::string password; ///< empty: no AUTH
};

/// Parses `redis://[[user]:password@]host[:port][/db]` (user and password
/// percent-decoded, IPv6 hosts in brackets) with config::parse_url; nullopt
/// if malformed. Apart from hiredis (no network, no hiredis types) so that
/// the fuzz build links it alone.
std::optional<redis_address> parse_redis_url(std::string_view url);

} // namespace tryon::persistence
