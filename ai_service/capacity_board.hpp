#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "ai_service/service_context.hpp"

namespace tryon::ai {

/// Tells every server connection how many frames it may have in flight
/// (AI credits, docs/protocol.md section 4): the service's total, split
/// evenly across the connections open now (rounded up, at least 1), sent as
/// {"type":"capacity","frames":N} when a connection opens and to all of
/// them whenever the share changes. A total of 0 says nothing (servers then
/// keep one frame in flight per session).
class capacity_board {
public:
  explicit capacity_board(std::size_t total) : total_(total) {}

  /// A connection finished its handshake.
  void join(const std::shared_ptr<connection_port>& port);
  /// A connection closed (called from its destructor: `port` is expired).
  void leave(const connection_port* port);

  /// The share of one connection when `connections` are open.
  static std::size_t share(std::size_t total, std::size_t connections);

private:
  struct member {
    const connection_port* key;
    std::weak_ptr<connection_port> port;
  };
  /// Sends the current share to `to` (all members if null). Lock held.
  void announce(const connection_port* to);

  const std::size_t total_;
  std::mutex mu_;
  std::vector<member> members_;
  std::size_t announced_ = 0; ///< the share last sent to everyone
};

} // namespace tryon::ai
