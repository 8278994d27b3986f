#include "ai_service/ai_connection.hpp"

#include "ai_service/ai_metrics.hpp"
#include "ai_service/capacity_board.hpp"
#include "ai_service/frame_router.hpp"
#include "ai_service/session_registry.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace tryon::ai {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Lifecycle:
//
//   read HTTP request --upgrade /ws/tryon--> accept --> read loop
//          |                                             |  ^
//          +-- other: 200 /healthz, /metrics; 404 --> close v | (load < max)
//                                                  router: jobs -> send()
//
// One read at a time and one write at a time. Reading pauses while the
// work taken on (router load) plus queued replies reaches max_pending, so
// the reply queue is bounded by max_pending without dropping anything.
class ai_connection : public connection_port,
                      public std::enable_shared_from_this<ai_connection> {
public:
  ai_connection(tcp::socket&& socket, service_context& ctx)
    : ws_(std::move(socket)), ctx_(ctx), router_(ctx), metrics_(ctx.metrics) {
    beast::error_code ec;
    auto ep = beast::get_lowest_layer(ws_).socket().remote_endpoint(ec);
    peer_ = ec ? std::string{"?"}
               : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  ~ai_connection() override {
    if (capacity_)
      capacity_->leave(this);
    if (accepted_) {
      spdlog::info("connection {} closed", peer_);
      if (metrics_) // ctx_ may be gone: the io_context outlives it
        metrics_->connections(-1);
    }
  }

  void run() {
    net::dispatch(ws_.get_executor(),
                  beast::bind_front_handler(&ai_connection::do_read_request,
                                            shared_from_this()));
  }

  void dispatch(std::function<void()> fn) override {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), fn = std::move(fn)] { fn(); });
  }

  void send(std::string message, bool binary) override {
    if (closed_)
      return;
    queue_.push_back({std::move(message), binary});
    if (!writing_)
      do_write();
  }

  void job_done() override { maybe_read(); }

private:
  struct outgoing {
    std::string data;
    bool binary;
  };

  void do_read_request() {
    parser_.emplace();
    parser_->body_limit(8192);
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    http::async_read(ws_.next_layer(), buffer_, *parser_,
                     beast::bind_front_handler(&ai_connection::on_read_request,
                                               shared_from_this()));
  }

  void on_read_request(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "read request");
    auto req = parser_->release();
    std::string_view target{req.target().data(), req.target().size()};
    target = target.substr(0, target.find('?'));
    if (!websocket::is_upgrade(req) ||
        (target != "/ws/tryon" && target != "/ws/tryon/"))
      return reply_http(req, target);
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(
        websocket::stream_base::timeout::suggested(beast::role_type::server));
    websocket::permessage_deflate pmd;
    pmd.server_enable = false; // frames are JPEG/WebP: nothing to gain
    pmd.client_enable = false;
    ws_.set_option(pmd);
    ws_.set_option(
        websocket::stream_base::decorator([](websocket::response_type& res) {
          res.set(http::field::server, "tryon-ai");
        }));
    ws_.read_message_max(ctx_.options.max_message_bytes);
    // One frame per reply: auto-fragmenting at Beast's 4 KB write buffer
    // made the server read every 60 KB reply in 32 recv() calls.
    ws_.auto_fragment(false);
    ws_.async_accept(req, beast::bind_front_handler(&ai_connection::on_accept,
                                                    shared_from_this()));
  }

  void reply_http(const http::request<http::string_body>& req,
                  std::string_view target) {
    const bool health = target == "/healthz";
    const bool metrics = target == "/metrics" && ctx_.metrics;
    res_.emplace(health || metrics ? http::status::ok : http::status::not_found,
                 req.version());
    res_->set(http::field::server, "tryon-ai");
    res_->set(http::field::content_type,
              metrics ? "text/plain; version=0.0.4" : "text/plain");
    res_->body() = metrics ? ctx_.metrics->prometheus_text(ctx_.sessions.size())
                   : health ? "ok\n"
                            : "tryon-ai: WebSocket at /ws/tryon\n";
    res_->keep_alive(false);
    res_->prepare_payload();
    http::async_write(ws_.next_layer(), *res_,
                      beast::bind_front_handler(&ai_connection::on_http_written,
                                                shared_from_this()));
  }

  void on_http_written(beast::error_code ec, std::size_t) {
    if (ec)
      return fail(ec, "write response");
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_send,
                                                   ignored);
  }

  void on_accept(beast::error_code ec) {
    if (ec)
      return fail(ec, "accept");
    accepted_ = true;
    if (ctx_.metrics)
      ctx_.metrics->connections(1);
    spdlog::info("connection {} opened", peer_);
    router_.attach(weak_from_this());
    if ((capacity_ = ctx_.capacity))
      capacity_->join(shared_from_this());
    do_read();
  }

  void maybe_read() {
    if (accepted_ && !reading_ && !closed_ &&
        router_.load() + queue_.size() < ctx_.options.max_pending)
      do_read();
  }

  void do_read() {
    reading_ = true;
    ws_.async_read(buffer_, beast::bind_front_handler(&ai_connection::on_read,
                                                      shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    reading_ = false;
    if (ec) {
      closed_ = true;
      return fail(ec, "read");
    }
    std::string message = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (ws_.got_text())
      router_.on_text(message);
    else
      router_.on_binary(std::move(message));
    maybe_read();
  }

  void do_write() {
    writing_ = true;
    ws_.binary(queue_.front().binary);
    ws_.async_write(net::buffer(queue_.front().data),
                    beast::bind_front_handler(&ai_connection::on_write,
                                              shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) {
      closed_ = true;
      queue_.clear();
      return fail(ec, "write");
    }
    queue_.pop_front();
    if (!queue_.empty())
      do_write();
    maybe_read();
  }

  void fail(beast::error_code ec, const char* what) {
    if (ec == net::error::operation_aborted || ec == websocket::error::closed)
      return;
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::connection_reset)
      spdlog::debug("connection {}: {}: {}", peer_, what, ec.message());
    else
      spdlog::warn("connection {}: {}: {}", peer_, what, ec.message());
  }

  websocket::stream<beast::tcp_stream> ws_;
  service_context& ctx_;
  frame_router router_;
  std::shared_ptr<ai_metrics> metrics_;
  // Held, not borrowed from ctx_: a connection may outlive the context.
  std::shared_ptr<capacity_board> capacity_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> res_;
  std::deque<outgoing> queue_;
  std::string peer_;
  bool accepted_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool closed_ = false;
};

} // namespace

void start_connection(tcp::socket socket, service_context& ctx) {
  std::make_shared<ai_connection>(std::move(socket), ctx)->run();
}

} // namespace tryon::ai
