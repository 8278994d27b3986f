#pragma once

// The transport half of the AI link: ai_channel implementations over a
// Boost.Beast WebSocket client. Beast stays in ai_client.cpp, so this header
// is cheap to include from the composition root.
//
//   connect() --> resolving --> connecting --> handshaking --> open
//                     |             |               |           |
//                     +-------------+---------------+-----------+
//                                   | error (on_down once)
//                                   v
//                                 idle  --connect()--> resolving ...
//   shutdown() from any state --> stopped (no more events)

#include <chrono>
#include <cstddef>

#include "actors/ports.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tryon::net {

/// Limits of one AI channel: its outgoing queue (the message being written
/// counts too) and its liveness check.
struct ai_client_limits {
  /// Queued frames (binary messages) at most.
  std::size_t max_messages = 64;
  /// Queued frame bytes at most.
  std::size_t max_bytes = std::size_t{32} << 20;
  /// Queued control messages (init_session, close_session) at most: a lane
  /// of their own, written before frames, so frames backing up never make
  /// the channel refuse one.
  std::size_t max_control_messages = 65536;
  /// Queued control bytes at most.
  std::size_t max_control_bytes = std::size_t{32} << 20;
  /// Largest message accepted from the AI service.
  std::size_t max_read_bytes = std::size_t{64} << 20;
  /// The channel pings the service every half of this; when nothing (no
  /// pong, no other message) arrives in the half after a ping, the channel
  /// is declared dead, closed and reconnected.
  std::chrono::milliseconds ping_timeout{20000};
};

/// A factory for WebSocket channels to the AI service, running on `ioc`.
actors::ai_channel_factory
make_ai_channel_factory(boost::asio::io_context& ioc,
                        ai_client_limits limits = {});

/// The same, for an io_context passed as an opaque handle
/// (http_server::io_context_handle()).
actors::ai_channel_factory
make_ai_channel_factory(void* io_context_handle, ai_client_limits limits = {});

} // namespace tryon::net
