#pragma once

#include "ai_service/nail_design.hpp"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tryon::ai {

/// The open sessions and their designs, shared by all connections (a
/// server may send a session's frames on any connection of its pool).
/// Thread-safe.
class session_registry {
public:
  /// Opens `session_id` with `design`, replacing an earlier one.
  void put(const std::string& session_id,
           std::shared_ptr<const nail_design> design);

  /// The session's design, or null when it is not open.
  std::shared_ptr<const nail_design> find(const std::string& session_id) const;

  /// Forgets the session; false when it was not open.
  bool erase(const std::string& session_id);

  /// Number of open sessions.
  std::size_t size() const;

private:
  mutable std::mutex mtx_;
  std::unordered_map<std::string, std::shared_ptr<const nail_design>> map_;
};

} // namespace tryon::ai
