#pragma once

// A server for one HTTP request, over plain TCP or TLS, on a free loopback
// port: the peer of the HTTP clients under test (tryon-ai's reference
// downloads, tryonctl stats, net/http_get). Header-only; the binary links
// tryon_asio_ssl.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <thread>

namespace tryon::testing {

/// What a one_shot_server answers.
struct one_shot_answer {
  unsigned status = 200;
  std::string body;
  std::string content_type = "image/jpeg";
  bool chunked = false; ///< chunked transfer encoding, no Content-Length
  /// Read the request, then hold the connection without answering until
  /// the server is destroyed (for client timeouts).
  bool never_answer = false;
};

/// Serves `answer` once on a free port of `address` (a loopback one); over
/// TLS when given a certificate chain and key (PEM files). `target()` is
/// empty when no request arrived (e.g. the client gave up in the TLS
/// handshake).
class one_shot_server {
public:
  explicit one_shot_server(one_shot_answer answer, const std::string& cert = {},
                           const std::string& key = {},
                           const std::string& address = "127.0.0.1")
    : acceptor_(ioc_, tcp::endpoint(boost::asio::ip::make_address(address), 0)),
      answer_(std::move(answer)) {
    if (!cert.empty()) {
      tls_.emplace(boost::asio::ssl::context::tls_server);
      tls_->use_certificate_chain_file(cert);
      tls_->use_private_key_file(key, boost::asio::ssl::context::pem);
    }
    acceptor_.non_blocking(true);
    thread_ = std::thread([this] { serve(); });
  }

  ~one_shot_server() {
    stop_ = true;
    if (thread_.joinable())
      thread_.join();
  }

  one_shot_server(const one_shot_server&) = delete;
  one_shot_server& operator=(const one_shot_server&) = delete;

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  /// The request's target; waits for the exchange to end (not with
  /// `never_answer`: the server is still holding on then).
  std::string target() {
    if (thread_.joinable())
      thread_.join();
    return target_;
  }

  /// The request's header `name` (after target()).
  std::string header(const std::string& name) const {
    auto it = request_.find(name);
    return it == request_.end() ? std::string{} : std::string{it->value()};
  }

private:
  using tcp = boost::asio::ip::tcp;
  static constexpr auto patience = std::chrono::seconds(20);

  void serve() {
    namespace beast = boost::beast;
    beast::error_code ec;
    tcp::socket s{ioc_};
    // Polls, so the destructor can give up without a peer.
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
      acceptor_.accept(s, ec);
      if (ec != boost::asio::error::would_block &&
          ec != boost::asio::error::try_again)
        break;
      if (stop_ || std::chrono::steady_clock::now() > deadline)
        return;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (ec)
      return;
    s.non_blocking(false, ec);
    timeval tv{10, 0};
    ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (!tls_)
      return exchange(s);
    boost::asio::ssl::stream<tcp::socket&> tls{s, *tls_};
    tls.handshake(boost::asio::ssl::stream_base::server, ec);
    if (!ec)
      exchange(tls);
  }

  template <class Stream>
  void exchange(Stream& stream) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    beast::error_code ec;
    beast::flat_buffer buf;
    http::read(stream, buf, request_, ec);
    if (ec)
      return;
    target_ = std::string{request_.target()};
    if (answer_.never_answer) {
      while (!stop_)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return;
    }
    http::response<http::string_body> res{
        static_cast<http::status>(answer_.status), 11};
    res.set(http::field::content_type, answer_.content_type);
    res.body() = answer_.body;
    if (answer_.chunked)
      res.chunked(true);
    else
      res.prepare_payload();
    http::write(stream, res, ec); // fails when the client gave up: fine
  }

  boost::asio::io_context ioc_;
  std::optional<boost::asio::ssl::context> tls_;
  tcp::acceptor acceptor_;
  one_shot_answer answer_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::string target_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
};

} // namespace tryon::testing
