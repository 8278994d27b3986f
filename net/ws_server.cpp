#include "net/ws_server.hpp"

#include "net/ws_session.hpp"

namespace tryon::net {

void ws_server::accept(
    boost::asio::ip::tcp::socket socket,
    boost::beast::http::request<boost::beast::http::string_body> req,
    std::shared_ptr<void> slot) {
  std::make_shared<ws_session>(std::move(socket), std::move(req), ctx_,
                               std::move(slot))
      ->run();
}

std::shared_ptr<ws_endpoint> make_ws_endpoint(ws_context ctx) {
  return std::make_shared<ws_server>(std::move(ctx));
}

} // namespace tryon::net
