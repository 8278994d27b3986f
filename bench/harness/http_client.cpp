#include "bench/harness/http_client.hpp"

#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace tryon::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct http_client::impl {
  impl(std::string a, std::uint16_t p, std::string h, std::chrono::seconds t)
    : address(std::move(a)), port(p), host(std::move(h)), timeout(t) {}

  std::string address;
  std::uint16_t port;
  std::string host;
  std::chrono::seconds timeout;
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  // Runs one async operation to completion with the stream's deadline.
  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result = asio::error::would_block;
    stream->expires_after(timeout);
    start([&](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  beast::error_code connect() {
    stream.emplace(ioc);
    buffer.clear();
    beast::error_code ec;
    auto addr = asio::ip::make_address(address, ec);
    if (ec)
      return ec;
    asio::ip::tcp::endpoint ep{addr, port};
    ec = run([&](auto handler) { stream->async_connect(ep, handler); });
    if (!ec)
      stream->socket().set_option(asio::ip::tcp::no_delay(true), ec);
    return ec;
  }

  beast::error_code exchange(http::request<http::string_body>& req,
                             http::response<http::string_body>& res) {
    auto ec =
        run([&](auto handler) { http::async_write(*stream, req, handler); });
    if (ec)
      return ec;
    return run(
        [&](auto handler) { http::async_read(*stream, buffer, res, handler); });
  }
};

http_client::http_client(std::string address, std::uint16_t port,
                         std::string host_header, std::chrono::seconds timeout)
  : impl_(std::make_unique<impl>(std::move(address), port,
                                 std::move(host_header), timeout)) {}

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
    if (!impl_->stream) {
      if (auto ec = impl_->connect(); ec) {
        impl_->stream.reset();
        out.error = "connect: " + ec.message();
        return out;
      }
      fresh = true;
    }
    http::response<http::string_body> res;
    if (auto ec = impl_->exchange(req, res); ec) {
      impl_->stream.reset();
      out.error = ec.message();
      if (fresh)
        return out;
      continue;
    }
    out.status = res.result_int();
    out.body = std::move(res.body());
    out.error.clear();
    if (!res.keep_alive())
      impl_->stream.reset();
    return out;
  }
  return out;
}

} // namespace tryon::bench
