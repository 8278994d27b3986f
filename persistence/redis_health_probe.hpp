#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "persistence/health_probe.hpp"
#include "persistence/redis_url.hpp"

namespace tryon::persistence {

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
