#include "bench/harness/http_client.hpp"

#include "net/tls_client_stream.hpp"

#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace tryon::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct http_client::impl {
  impl(std::string a, std::uint16_t p, std::string h, std::chrono::seconds t,
       std::shared_ptr<tls_client_context> c, std::string th)
    : address(std::move(a)), port(p), host(std::move(h)), timeout(t),
      tls(std::move(c)), tls_host(std::move(th)) {}

  std::string address;
  std::uint16_t port;
  std::string host;
  std::chrono::seconds timeout;
  std::shared_ptr<tls_client_context> tls;
  std::string tls_host;
  asio::io_context ioc;
  // `stream` is the TCP connection; with TLS, `tls_stream` owns it instead.
  std::optional<beast::tcp_stream> stream;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_stream;
  beast::flat_buffer buffer;

  bool connected() const { return stream || tls_stream; }
  void reset() {
    stream.reset();
    tls_stream.reset();
  }
  beast::tcp_stream& tcp() {
    return tls_stream ? beast::get_lowest_layer(*tls_stream) : *stream;
  }

  // Runs one async operation to completion with the stream's deadline.
  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result = asio::error::would_block;
    tcp().expires_after(timeout);
    start([&](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  // The connection, TLS handshake included; "" or why it failed.
  std::string connect() {
    if (tls)
      tls_stream.emplace(ioc, tls->ssl);
    else
      stream.emplace(ioc);
    buffer.clear();
    beast::error_code ec;
    auto addr = asio::ip::make_address(address, ec);
    if (ec)
      return "connect: " + ec.message();
    asio::ip::tcp::endpoint ep{addr, port};
    ec = run([&](auto handler) { tcp().async_connect(ep, handler); });
    if (!ec)
      tcp().socket().set_option(asio::ip::tcp::no_delay(true), ec);
    if (ec)
      return "connect: " + ec.message();
    if (!tls_stream)
      return {};
    if (!net::expect_peer(tls_stream->native_handle(), tls_host))
      return "TLS handshake: cannot set the peer name " + tls_host;
    ec = run([&](auto handler) {
      tls_stream->async_handshake(asio::ssl::stream_base::client, handler);
    });
    if (ec)
      return "TLS handshake: " +
             net::handshake_error(tls_stream->native_handle(), ec);
    return {};
  }

  beast::error_code exchange(http::request<http::string_body>& req,
                             http::response<http::string_body>& res) {
    if (tls_stream)
      return exchange_on(*tls_stream, req, res);
    return exchange_on(*stream, req, res);
  }

  template <class Stream>
  beast::error_code exchange_on(Stream& s,
                                http::request<http::string_body>& req,
                                http::response<http::string_body>& res) {
    auto ec = run([&](auto handler) { http::async_write(s, req, handler); });
    if (ec)
      return ec;
    return run(
        [&](auto handler) { http::async_read(s, buffer, res, handler); });
  }
};

http_client::http_client(std::string address, std::uint16_t port,
                         std::string host_header, std::chrono::seconds timeout,
                         std::shared_ptr<tls_client_context> tls,
                         std::string tls_host)
  : impl_(std::make_unique<impl>(std::move(address), port,
                                 std::move(host_header), timeout,
                                 std::move(tls), std::move(tls_host))) {}

http_client::~http_client() = default;

http_reply http_client::request(
    const std::string& method, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body, const std::string& content_type) {
  http::request<http::string_body> req{http::string_to_verb(method), target,
                                       11};
  req.set(http::field::host, impl_->host);
  req.set(http::field::user_agent, "tryon-bench");
  for (const auto& [name, value] : headers)
    req.set(name, value);
  if (!body.empty() || method == "POST") {
    if (!content_type.empty())
      req.set(http::field::content_type, content_type);
    req.body() = body;
  }
  req.keep_alive(true);
  req.prepare_payload();
  http_reply out;
  // A kept-alive connection the server closed fails once: reconnect then.
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool fresh = false;
    if (!impl_->connected()) {
      if (auto error = impl_->connect(); !error.empty()) {
        impl_->reset();
        out.error = std::move(error);
        return out;
      }
      fresh = true;
    }
    http::response<http::string_body> res;
    if (auto ec = impl_->exchange(req, res); ec) {
      impl_->reset();
      out.error = ec.message();
      if (fresh)
        return out;
      continue;
    }
    out.status = res.result_int();
    out.body = std::move(res.body());
    out.error.clear();
    if (!res.keep_alive())
      impl_->reset();
    return out;
  }
  return out;
}

} // namespace tryon::bench
