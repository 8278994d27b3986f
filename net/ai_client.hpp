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

#include <cstddef>

#include "actors/ports.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tryon::net {

/// Limits of one AI channel's outgoing queue (the message being written
/// counts too).
struct ai_client_limits {
  /// Queued binary messages at most; text may use as many again on top, so
  /// init/close messages still pass while frames back up.
  std::size_t max_messages = 64;
  /// Queued bytes at most.
  std::size_t max_bytes = std::size_t{32} << 20;
  /// Largest message accepted from the AI service.
  std::size_t max_read_bytes = std::size_t{64} << 20;
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
