#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "config/address_range.hpp"
#include "net/access_log.hpp"
#include "net/admission.hpp"
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
    /// Counts open connections (null: no caps, as in unit tests).
    connection_admission* admission = nullptr;
    /// Proxies whose X-Forwarded-For names the client.
    std::vector<config::address_range> trusted_proxies;
    /// The admin listener's sessions: only the probes are served
    /// (is_probe_path), anything else is 404.
    bool probes_only = false;
  };

  /// Takes the accepted socket and its place among the open connections
  /// (`peer`: the address it came from).
  http_session(boost::asio::ip::tcp::socket socket, shared& env,
               std::shared_ptr<connection_admission::slot> slot,
               std::string peer);

  /// Starts reading.
  void run();

private:
  void do_read_header();
  void on_header(boost::beast::error_code ec);
  bool admit_forwarded_client();
  void do_read_body();
  template <class Parser>
  void read_body_some(Parser& parser,
                      void (http_session::*done)(boost::beast::error_code));
  void on_body(boost::beast::error_code ec);
  void read_body_after_header();
  void admit_upload();
  void on_admitted(std::variant<persistence::user, http_response> outcome);
  void do_read_upload(std::string boundary, persistence::user owner);
  void drain();
  std::string remote_address() const;
  void on_upload(boost::beast::error_code ec);
  void send_continue_then(void (http_session::*next)());
  void dispatch_to_api(http_request req, bool upload);
  void write(http_response res);
  void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
  void begin_access(); // access-log fields of the request just read
  /// Called when a whole response went out (or failed), with its bytes.
  using write_done = std::function<void(boost::beast::error_code, std::size_t)>;
  template <class Body>
  void write_message(std::shared_ptr<boost::beast::http::response<Body>> msg,
                     write_done then);
  template <class Serializer>
  void write_some_of(std::shared_ptr<Serializer> sr, write_done then,
                     std::size_t sent);
  void reject(unsigned status, std::string_view message,
              std::vector<std::pair<std::string, std::string>> headers = {});
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
  std::shared_ptr<connection_admission::slot> slot_;
  std::string peer_;
  std::uint64_t body_bytes_ = 0;
  std::chrono::steady_clock::time_point body_started_;
  bool drain_on_close_ = false; ///< a refused body may still be arriving
  std::size_t drained_ = 0;
  http_access access_; ///< the request being answered (access log)
  std::chrono::steady_clock::time_point started_;
};

} // namespace tryon::net
