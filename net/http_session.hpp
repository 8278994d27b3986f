#pragma once

#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "net/access_log.hpp"
#include "net/http_types.hpp"
#include "net/multipart_body.hpp"

namespace tryon::net {

namespace rest {
class rest_api;
} // namespace rest

class ws_endpoint;

/// One HTTP connection: reads a request, runs its handler on the blocking
/// pool, writes the response, repeats while keep-alive. Upgrades go to the
/// WebSocket endpoint; upload bodies stream into an upload_sink.
class http_session : public std::enable_shared_from_this<http_session> {
public:
  /// Everything a session needs from the server.
  struct shared {
    rest::rest_api& api;
    ws_endpoint* ws;
    boost::asio::thread_pool& blocking;
  };

  /// Takes the accepted socket.
  http_session(boost::asio::ip::tcp::socket socket, shared& env);

  /// Starts reading.
  void run();

private:
  void do_read_header();
  void on_header(boost::beast::error_code ec);
  void do_read_body();
  void on_body(boost::beast::error_code ec);
  void do_read_upload(std::string boundary);
  void on_upload(boost::beast::error_code ec);
  void send_continue_then(void (http_session::*next)());
  void dispatch_to_api(http_request req, bool upload);
  void write(http_response res);
  void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
  void begin_access(); // access-log fields of the request just read
  void reject(unsigned status, std::string_view message);
  http_request to_request() const;

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  shared& env_;
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::empty_body>>
      header_parser_;
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::string_body>>
      body_parser_;
  std::optional<boost::beast::http::request_parser<multipart_body>>
      upload_parser_;
  std::shared_ptr<rest::upload_sink> sink_;
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
  std::shared_ptr<void> pending_write_;
  http_access access_; ///< the request being answered (access log)
  std::chrono::steady_clock::time_point started_;
};

} // namespace tryon::net
