#include "net/http_get.hpp"

#include "net/tls_client_stream.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <charconv>
#include <optional>
#include <type_traits>

namespace tryon::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using plain_stream = beast::tcp_stream;
using secure_stream = beast::ssl_stream<beast::tcp_stream>;

// "host[:port]" for the Host header: the port only when not the scheme's.
std::string host_header(const http_get_request& r) {
  const bool v6 = r.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + r.host + "]" : r.host;
  if (r.port != (r.tls ? "443" : "80"))
    host += ":" + r.port;
  return host;
}

// The endpoint of an IP-literal host with a numeric port: it needs no
// lookup (Asio runs all the lookups of an io_context on one thread, one
// after the other, so a slow name would hold it up).
std::optional<tcp::endpoint> literal_endpoint(const http_get_request& r) {
  boost::system::error_code not_ip;
  const auto address = asio::ip::make_address(r.host, not_ip);
  std::uint16_t port = 0;
  const char* end = r.port.data() + r.port.size();
  const auto [stop, error] = std::from_chars(r.port.data(), end, port);
  if (not_ip || error != std::errc{} || stop != end)
    return std::nullopt;
  return tcp::endpoint{address, port};
}

// One GET on a Stream: beast::tcp_stream (http) or an ssl_stream over one
// (https, which adds the handshake). Every pending handler holds the
// operation; `done_` runs once.
template <class Stream>
class get_operation
  : public std::enable_shared_from_this<get_operation<Stream>> {
public:
  static constexpr bool tls = std::is_same_v<Stream, secure_stream>;
  using callback = std::function<void(http_get_result)>;

  get_operation(asio::io_context& ioc, http_get_request request,
                std::shared_ptr<tls_client_context> context, callback done)
    : context_(std::move(context)), resolver_(asio::make_strand(ioc)),
      resolve_deadline_(resolver_.get_executor()),
      stream_(open_stream(resolver_.get_executor(), context_.get())),
      request_(std::move(request)), done_(std::move(done)) {}

  void run() {
    req_.version(11);
    req_.method(http::verb::get);
    req_.target(request_.target);
    req_.set(http::field::host, host_header(request_));
    req_.set(http::field::user_agent, request_.user_agent);
    req_.set(http::field::connection, "close");
    for (const auto& [name, value] : request_.headers)
      req_.set(name, value);
    deadline_ = std::chrono::steady_clock::now() + request_.timeout;
    if (auto endpoint = literal_endpoint(request_))
      return do_connect(*endpoint);
    // The resolver has no deadline of its own.
    resolve_deadline_.expires_at(deadline_);
    resolve_deadline_.async_wait(beast::bind_front_handler(
        &get_operation::on_resolve_deadline, this->shared_from_this()));
    resolver_.async_resolve(
        request_.host, request_.port,
        beast::bind_front_handler(&get_operation::on_resolve,
                                  this->shared_from_this()));
  }

private:
  template <class Executor>
  static Stream open_stream(const Executor& ex, tls_client_context* context) {
    if constexpr (tls)
      return Stream{ex, context->ssl};
    else
      return Stream{ex};
  }

  beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }

  void on_resolve_deadline(beast::error_code ec) {
    if (ec || resolved_)
      return;
    resolver_.cancel(); // the lookup still finishes on Asio's resolver thread
    fail("resolve", "timed out");
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type found) {
    resolved_ = true;
    resolve_deadline_.cancel();
    if (!done_)
      return; // timed out already
    if (ec)
      return fail(ec, "resolve");
    do_connect(found);
  }

  // One endpoint, or each one found in turn until one accepts.
  template <class Endpoints>
  void do_connect(const Endpoints& endpoints) {
    tcp_layer().expires_at(deadline_);
    tcp_layer().async_connect(endpoints, [self = this->shared_from_this()](
                                             beast::error_code ec, auto&&...) {
      self->on_connect(ec);
    });
  }

  void on_connect(beast::error_code ec) {
    if (ec)
      return fail(ec, "connect");
    if constexpr (tls) {
      if (!expect_peer(stream_.native_handle(), request_.host))
        return fail("TLS handshake",
                    "cannot set the peer name " + request_.host);
      stream_.async_handshake(
          asio::ssl::stream_base::client,
          beast::bind_front_handler(&get_operation::on_handshake,
                                    this->shared_from_this()));
    } else {
      do_write();
    }
  }

  void on_handshake(beast::error_code ec) {
    if (ec == beast::error::timeout)
      return fail(ec, "TLS handshake");
    if (ec)
      return fail("TLS handshake",
                  handshake_error(stream_.native_handle(), ec));
    do_write();
  }

  void do_write() {
    http::async_write(stream_, req_,
                      beast::bind_front_handler(&get_operation::on_write,
                                                this->shared_from_this()));
  }

  // The header first: Beast 1.74's eager parse (http::async_read) loses the
  // body_limit error of a Content-Length over the limit when body bytes
  // arrive with the header, and then reads the whole body.
  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "write");
    parser_.body_limit(request_.max_body_bytes);
    http::async_read_header(
        stream_, buffer_, parser_,
        beast::bind_front_handler(&get_operation::on_read_header,
                                  this->shared_from_this()));
  }

  void on_read_header(beast::error_code ec, std::size_t) {
    if (ec)
      return fail_read(ec);
    http::async_read(stream_, buffer_, parser_,
                     beast::bind_front_handler(&get_operation::on_read,
                                               this->shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec)
      return fail_read(ec);
    auto res = parser_.release();
    http_get_result out;
    out.status = res.result_int();
    out.body = std::move(res.body());
    finish(std::move(out));
  }

  void fail_read(beast::error_code ec) {
    if (ec != http::error::body_limit)
      return fail(ec, "read");
    http_get_result out;
    out.too_large = true;
    out.error = "read: larger than " + std::to_string(request_.max_body_bytes) +
                " bytes";
    finish(std::move(out));
  }

  void fail(beast::error_code ec, const char* step) {
    fail(step, ec == beast::error::timeout ? "timed out" : ec.message());
  }

  void fail(const char* step, const std::string& reason) {
    http_get_result out;
    out.error = std::string{step} + ": " + reason;
    finish(std::move(out));
  }

  // The answer is complete (or there is none): no TLS close_notify, the
  // connection just closes.
  void finish(http_get_result result) {
    beast::error_code ignored;
    tcp_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp_layer().close();
    if (done_) {
      auto done = std::move(done_);
      done_ = nullptr;
      done(std::move(result));
    }
  }

  std::shared_ptr<tls_client_context> context_; // outlives stream_
  tcp::resolver resolver_;
  asio::steady_timer resolve_deadline_;
  Stream stream_;
  http_get_request request_;
  callback done_;
  std::chrono::steady_clock::time_point deadline_;
  bool resolved_ = false;
  http::request<http::empty_body> req_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

} // namespace

void async_http_get(asio::io_context& ioc, http_get_request request,
                    std::shared_ptr<tls_client_context> tls,
                    std::function<void(http_get_result)> done) {
  if (!request.tls) {
    std::make_shared<get_operation<plain_stream>>(ioc, std::move(request),
                                                  nullptr, std::move(done))
        ->run();
  } else if (tls) {
    std::make_shared<get_operation<secure_stream>>(
        ioc, std::move(request), std::move(tls), std::move(done))
        ->run();
  } else {
    asio::post(ioc, [done = std::move(done)] {
      http_get_result out;
      out.error = "TLS handshake: no TLS client context";
      done(std::move(out));
    });
  }
}

http_get_result http_get(http_get_request request,
                         std::shared_ptr<tls_client_context> tls) {
  asio::io_context ioc{1};
  http_get_result out;
  async_http_get(ioc, std::move(request), std::move(tls),
                 [&out](http_get_result r) { out = std::move(r); });
  ioc.run();
  return out;
}

} // namespace tryon::net
