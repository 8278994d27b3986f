#pragma once

#include "actors/ports.hpp"
#include "net/rest/rest_context.hpp"
#include "net/ws_endpoint.hpp"

namespace boost::asio {
class thread_pool;
} // namespace boost::asio

namespace tryon::net {

/// The WebSocket endpoint for /ws/try-on/<uuid>/: creates a ws_session per
/// upgrade.
class ws_server : public ws_endpoint {
public:
  /// What every ws_session uses.
  struct shared {
    rest::rest_context& rest;
    actors::session_gateway& gateway;
    std::function<void(std::function<void()>)> post_blocking;
  };

  /// `env` must outlive the server.
  explicit ws_server(shared env) : env_(std::move(env)) {}

  void accept(boost::asio::ip::tcp::socket socket,
              boost::beast::http::request<boost::beast::http::string_body> req)
      override;

private:
  shared env_;
};

} // namespace tryon::net
