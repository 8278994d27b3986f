#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tryon::net::rest {

/// Remembers, briefly, tokens the database did not know, so a client
/// repeating a bad token (or a flood of connections with one) costs one
/// query per `ttl`, not one per request. Bounded: beyond `max_entries` the
/// oldest is forgotten. Keeps SHA-256 digests, not the keys. Thread-safe.
class unknown_token_cache {
public:
  using clock = std::chrono::steady_clock;

  explicit unknown_token_cache(
      std::chrono::milliseconds ttl = std::chrono::seconds(10),
      std::size_t max_entries = 10000)
    : ttl_(ttl), max_entries_(max_entries) {}

  /// True when `digest` was reported unknown less than ttl before `now`.
  bool known_bad(const std::string& digest, clock::time_point now) {
    std::lock_guard<std::mutex> guard{mu_};
    auto it = until_.find(digest);
    if (it == until_.end())
      return false;
    if (it->second > now)
      return true;
    until_.erase(it);
    return false;
  }

  /// Records that `digest` matched no token at `now`.
  void remember(const std::string& digest, clock::time_point now) {
    std::lock_guard<std::mutex> guard{mu_};
    while (until_.size() >= max_entries_ && !order_.empty()) {
      until_.erase(order_.front());
      order_.pop_front();
    }
    if (until_.insert_or_assign(digest, now + ttl_).second)
      order_.push_back(digest);
    // Names erased by known_bad() stay in the order list: rebuild it
    // before it grows past twice the bound.
    if (order_.size() > 2 * max_entries_) {
      order_.clear();
      for (const auto& [name, until] : until_)
        order_.push_back(name);
    }
  }

  /// Entries kept (tests).
  std::size_t size() const {
    std::lock_guard<std::mutex> guard{mu_};
    return until_.size();
  }

private:
  std::chrono::milliseconds ttl_;
  std::size_t max_entries_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, clock::time_point> until_;
  std::deque<std::string> order_;
};

} // namespace tryon::net::rest
