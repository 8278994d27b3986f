#include "ai_service/http_fetch.hpp"

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <memory>
#include <optional>

namespace tryon::ai {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// resolve -> connect -> write -> read, one object per download.
class http_download : public std::enable_shared_from_this<http_download> {
public:
  using callback = std::function<void(pipeline_result<std::string>)>;

  http_download(net::io_context& ioc, const reference_url& url,
                std::chrono::milliseconds timeout, std::size_t max_bytes,
                callback done)
    : resolver_(net::make_strand(ioc)), stream_(resolver_.get_executor()),
      url_(url), timeout_(timeout), max_bytes_(max_bytes),
      done_(std::move(done)) {}

  void run() {
    req_.version(11);
    req_.method(http::verb::get);
    req_.target(url_.target);
    req_.set(http::field::host,
             url_.port == "80" ? url_.host : url_.host + ":" + url_.port);
    req_.set(http::field::user_agent, "tryon-ai");
    resolver_.async_resolve(
        url_.host, url_.port,
        beast::bind_front_handler(&http_download::on_resolve,
                                  shared_from_this()));
  }

private:
  void on_resolve(beast::error_code ec, tcp::resolver::results_type found) {
    if (ec)
      return fail(ec, "resolve");
    stream_.expires_after(timeout_);
    stream_.async_connect(found,
                          beast::bind_front_handler(&http_download::on_connect,
                                                    shared_from_this()));
  }

  void on_connect(beast::error_code ec, const tcp::endpoint&) {
    if (ec)
      return fail(ec, "connect");
    http::async_write(stream_, req_,
                      beast::bind_front_handler(&http_download::on_write,
                                                shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "write");
    parser_.emplace();
    parser_->body_limit(max_bytes_);
    http::async_read(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&http_download::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "read");
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    auto res = parser_->release();
    if (res.result() != http::status::ok)
      return finish(pipeline_error{"HTTP " + std::to_string(res.result_int()) +
                                   " for " + url_.target});
    finish(std::move(res.body()));
  }

  void fail(beast::error_code ec, const char* what) {
    const bool timed_out = ec == beast::error::timeout;
    finish(pipeline_error{std::string{"fetching http://"} + url_.host + ":" +
                          url_.port + url_.target + ": " + what + ": " +
                          (timed_out ? "timed out" : ec.message())});
  }

  void finish(pipeline_result<std::string> result) {
    if (done_) {
      auto done = std::move(done_);
      done_ = nullptr;
      done(std::move(result));
    }
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::empty_body> req_;
  std::optional<http::response_parser<http::string_body>> parser_;
  reference_url url_;
  std::chrono::milliseconds timeout_;
  std::size_t max_bytes_;
  callback done_;
};

} // namespace

void fetch_http(net::io_context& ioc, const reference_url& url,
                std::chrono::milliseconds timeout, std::size_t max_bytes,
                std::function<void(pipeline_result<std::string>)> done) {
  std::make_shared<http_download>(ioc, url, timeout, max_bytes, std::move(done))
      ->run();
}

} // namespace tryon::ai
