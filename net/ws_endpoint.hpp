#pragma once

#include <cstddef>
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace tryon::net {

/// Receives WebSocket upgrade requests from the HTTP sessions.
class ws_endpoint {
public:
  virtual ~ws_endpoint() = default;

  /// Takes over the socket of an upgrade request (already read whole) and
  /// its place among the node's open connections (`slot`, held until the
  /// socket closes; may be null).
  virtual void
  accept(boost::asio::ip::tcp::socket socket,
         boost::beast::http::request<boost::beast::http::string_body> req,
         std::shared_ptr<void> slot) = 0;

  /// WebSocket connections not yet closed (closing handshakes included).
  virtual std::size_t open_connections() const = 0;
};

} // namespace tryon::net
