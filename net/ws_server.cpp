#include "net/ws_server.hpp"

#include "net/ws_session.hpp"

namespace tryon::net {

void ws_server::accept(
    boost::asio::ip::tcp::socket socket,
    boost::beast::http::request<boost::beast::http::string_body> req) {
  std::make_shared<ws_session>(std::move(socket), std::move(req), env_)->run();
}

} // namespace tryon::net
