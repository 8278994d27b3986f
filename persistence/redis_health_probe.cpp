#include "persistence/redis_health_probe.hpp"

#include <hiredis/hiredis.h>

#include "persistence/redis_client.hpp"

namespace tryon::persistence {

redis_health_probe::redis_health_probe(std::string redis_url,
                                       std::chrono::milliseconds timeout)
  : url_(std::move(redis_url)), timeout_(timeout) {}

bool redis_health_probe::ping(std::string& detail) noexcept {
  try {
    // A fresh connection each time: the probe also checks connecting.
    auto c = redis_connect(url_, timeout_);
    auto r = redis_command(*c, {"PING"});
    if (r->type == REDIS_REPLY_STATUS && reply_text(r.get()) == "PONG")
      return true;
    detail = "redis: unexpected answer to PING";
  } catch (const std::exception& e) {
    detail = e.what(); // store_error: "redis: ..."
  }
  return false;
}

} // namespace tryon::persistence
