#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "persistence/node_stats_store.hpp"

struct redisContext;

namespace tryon::persistence {

/// node_stats_store over Redis: one JSON string per node under
/// `tryon:node:<node_id>` with an expiry. Blocking (hiredis); keeps one
/// connection, reopened after any failure. Thread-safe.
class redis_node_stats final : public node_stats_store {
public:
  /// Key prefix of every node's figures.
  static constexpr const char* key_prefix = "tryon:node:";

  /// Talks to `redis_url`; connects on first use.
  explicit redis_node_stats(
      std::string redis_url,
      std::chrono::milliseconds timeout = std::chrono::seconds(1));
  ~redis_node_stats() override;

  /// See node_stats_store.
  void publish(const std::string& node_id, const nlohmann::json& figures,
               std::chrono::seconds ttl) override;

  /// See node_stats_store.
  std::map<std::string, nlohmann::json> read_all() override;

  /// See node_stats_store.
  void remove(const std::string& node_id) override;

private:
  struct context_deleter {
    void operator()(redisContext* c) const noexcept;
  };
  redisContext& connection();
  void drop_connection() noexcept { ctx_.reset(); }

  std::string url_;
  std::chrono::milliseconds timeout_;
  std::mutex mu_;
  std::unique_ptr<redisContext, context_deleter> ctx_;
};

} // namespace tryon::persistence
