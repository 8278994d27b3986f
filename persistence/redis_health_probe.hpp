#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "persistence/health_probe.hpp"

namespace tryon::persistence {

/// Where a redis:// URL points.
struct redis_address {
  std::string host;
  int port = 6379;
  int db = 0;
  std::string password; ///< empty: no AUTH
};

/// Parses `redis://[[user]:password@]host[:port][/db]`; nullopt if malformed.
std::optional<redis_address> parse_redis_url(std::string_view url);

/// Checks Redis by connecting (with a timeout) and sending PING.
class redis_health_probe final : public health_probe {
public:
  /// Probes `redis_url`; each ping opens a fresh connection.
  explicit redis_health_probe(
      std::string redis_url,
      std::chrono::milliseconds timeout = std::chrono::seconds(1));

  /// See health_probe.
  bool ping(std::string& detail) noexcept override;

private:
  std::string url_;
  std::chrono::milliseconds timeout_;
};

} // namespace tryon::persistence
