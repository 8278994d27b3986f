#include "ai_service/session_registry.hpp"

namespace tryon::ai {

void session_registry::put(const std::string& session_id,
                           std::shared_ptr<const nail_design> design) {
  std::lock_guard<std::mutex> lock(mtx_);
  map_[session_id] = std::move(design);
}

std::shared_ptr<const nail_design>
session_registry::find(const std::string& session_id) const {
  std::lock_guard<std::mutex> lock(mtx_);
  auto i = map_.find(session_id);
  return i == map_.end() ? nullptr : i->second;
}

bool session_registry::erase(const std::string& session_id) {
  std::lock_guard<std::mutex> lock(mtx_);
  return map_.erase(session_id) > 0;
}

std::size_t session_registry::size() const {
  std::lock_guard<std::mutex> lock(mtx_);
  return map_.size();
}

} // namespace tryon::ai
