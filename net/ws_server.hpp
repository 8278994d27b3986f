#pragma once

#include "net/ws_context.hpp"
#include "net/ws_endpoint.hpp"

namespace tryon::net {

/// The WebSocket endpoint for /ws/try-on/<uuid>/: a ws_session per upgrade.
class ws_server : public ws_endpoint {
public:
  /// `ctx` must outlive the server's sessions.
  explicit ws_server(ws_context ctx) : ctx_(std::move(ctx)) {}

  void accept(boost::asio::ip::tcp::socket socket,
              boost::beast::http::request<boost::beast::http::string_body> req,
              std::shared_ptr<void> slot) override;

  std::size_t open_connections() const override {
    return ctx_.live_sessions->load();
  }

private:
  ws_context ctx_;
};

} // namespace tryon::net
