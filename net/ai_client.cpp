#include "net/ai_client.hpp"

#include <chrono>
#include <optional>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <spdlog/spdlog.h>

#include "config/url.hpp"
#include "net/ai_send_queue.hpp"

namespace tryon::net {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using strand_type = asio::strand<asio::io_context::executor_type>;
using shared_bytes = std::shared_ptr<const std::string>;

constexpr auto connect_timeout = std::chrono::seconds(5);
constexpr auto handshake_timeout = std::chrono::seconds(5);
// A client masks what it sends through Beast's write buffer, one send() per
// buffer: at Beast's 4 KB default a 60 KB frame took 16 (docs/PERFORMANCE.md).
constexpr std::size_t write_buffer_bytes = 128 * 1024;

/// One connection attempt: its stream and read buffer. Handlers hold it, so
/// a replaced attempt finishes its aborted operations safely.
struct ai_connection {
  ai_connection(const strand_type& ex, std::uint64_t n) : ws(ex), id(n) {}
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  std::uint64_t id; ///< tags this connection's send queue
};
using conn_ptr = std::shared_ptr<ai_connection>;

ai_send_queue_limits queue_limits(const ai_client_limits& l) {
  ai_send_queue_limits q;
  q.max_frames = l.max_messages;
  q.max_frame_bytes = l.max_bytes;
  q.max_control = l.max_control_messages;
  q.max_control_bytes = l.max_control_bytes;
  return q;
}

/// ai_channel over a Beast WebSocket client; all I/O on one strand.
class ai_client : public actors::ai_channel,
                  public std::enable_shared_from_this<ai_client> {
public:
  ai_client(asio::io_context& ioc, const std::string& url,
            actors::ai_events events, ai_client_limits limits)
    : strand_(asio::make_strand(ioc)), resolver_(strand_),
      url_(config::parse_url(url)), events_(std::move(events)), limits_(limits),
      queue_(queue_limits(limits)) {
    if (url_ && url_->scheme != "ws")
      url_.reset(); // wss:// is not supported
  }

  void connect() override {
    asio::post(strand_, [self = shared_from_this()] { self->do_connect(); });
  }

  bool send_text(std::string text) override {
    return enqueue(
        {std::make_shared<const std::string>(std::move(text)), true});
  }

  bool send_binary(shared_bytes message) override {
    if (!message)
      return false;
    return enqueue({std::move(message), false});
  }

  void shutdown() override {
    queue_.close();
    asio::post(strand_, [self = shared_from_this()] { self->do_shutdown(); });
  }

private:
  // -- connecting -------------------------------------------------------------

  void do_connect() {
    if (stopped_ || conn_)
      return; // stopped, or an attempt is already running
    if (!url_) {
      if (events_.on_down)
        events_.on_down("invalid AI service URL (ws://host:port/path)");
      return;
    }
    auto c = std::make_shared<ai_connection>(strand_, ++attempts_);
    conn_ = c;
    resolver_.async_resolve(
        url_->host, std::to_string(url_->port),
        [self = shared_from_this(), c](beast::error_code ec,
                                       tcp::resolver::results_type results) {
          self->on_resolve(c, ec, std::move(results));
        });
  }

  void on_resolve(const conn_ptr& c, beast::error_code ec,
                  tcp::resolver::results_type results) {
    if (c != conn_)
      return;
    if (ec)
      return fail(c, ec, "resolve");
    beast::get_lowest_layer(c->ws).expires_after(connect_timeout);
    beast::get_lowest_layer(c->ws).async_connect(
        results, [self = shared_from_this(), c](beast::error_code ec,
                                                const tcp::endpoint&) {
          self->on_connect(c, ec);
        });
  }

  void on_connect(const conn_ptr& c, beast::error_code ec) {
    if (c != conn_)
      return;
    if (ec)
      return fail(c, ec, "connect");
    auto& tcp_layer = beast::get_lowest_layer(c->ws);
    tcp_layer.socket().set_option(tcp::no_delay(true), ec);
    tcp_layer.expires_never(); // the websocket timeouts take over
    websocket::stream_base::timeout timeouts;
    timeouts.handshake_timeout = handshake_timeout;
    // Beast pings every half of idle_timeout and fails the pending read
    // (so the channel, see fail()) when nothing was read in the half after
    // a ping: a service that stopped answering is found out even when no
    // session is waiting for it.
    timeouts.idle_timeout = limits_.ping_timeout;
    timeouts.keep_alive_pings = true;
    c->ws.set_option(timeouts);
    websocket::permessage_deflate pmd;
    pmd.client_enable = false;
    pmd.server_enable = false;
    c->ws.set_option(pmd);
    c->ws.read_message_max(limits_.max_read_bytes);
    c->ws.auto_fragment(false);
    c->ws.write_buffer_bytes(write_buffer_bytes);
    auto host = config::host_and_port(*url_);
    c->ws.async_handshake(host, url_->target,
                          [self = shared_from_this(), c](beast::error_code ec) {
                            self->on_handshake(c, ec);
                          });
  }

  void on_handshake(const conn_ptr& c, beast::error_code ec) {
    if (c != conn_)
      return;
    if (ec)
      return fail(c, ec, "handshake");
    queue_.open(c->id);
    if (events_.on_open)
      events_.on_open();
    do_read(c);
  }

  // -- reading ----------------------------------------------------------------

  void do_read(const conn_ptr& c) {
    c->ws.async_read(c->buffer, [self = shared_from_this(),
                                 c](beast::error_code ec, std::size_t) {
      self->on_read(c, ec);
    });
  }

  void on_read(const conn_ptr& c, beast::error_code ec) {
    if (c != conn_)
      return;
    if (ec)
      return fail(c, ec, "read");
    auto payload = beast::buffers_to_string(c->buffer.data());
    c->buffer.consume(c->buffer.size());
    if (c->ws.got_text()) {
      if (events_.on_text)
        events_.on_text(std::move(payload));
    } else if (events_.on_binary) {
      events_.on_binary(
          std::make_shared<const std::string>(std::move(payload)));
    }
    do_read(c);
  }

  // -- writing ----------------------------------------------------------------

  bool enqueue(ai_send_queue::message msg) {
    auto out = queue_.push(std::move(msg));
    // Called by a session actor: on the network thread, dispatch() starts
    // the write at once instead of queueing another turn of the I/O loop.
    if (out.start_writer)
      asio::dispatch(strand_, [self = shared_from_this(), id = out.connection] {
        self->do_write(id);
      });
    return out.accepted;
  }

  void do_write(std::uint64_t id) {
    auto c = conn_;
    if (!c || c->id != id)
      return; // the queue went with the old connection
    auto msg = queue_.front(id);
    if (!msg)
      return;
    c->ws.text(msg->text);
    c->ws.async_write(asio::buffer(*msg->data),
                      [self = shared_from_this(), c,
                       data = msg->data](beast::error_code ec, std::size_t) {
                        self->on_write(c, ec);
                      });
  }

  void on_write(const conn_ptr& c, beast::error_code ec) {
    if (c != conn_)
      return;
    if (ec)
      return fail(c, ec, "write");
    if (queue_.pop(c->id))
      do_write(c->id);
  }

  // -- failing and stopping ---------------------------------------------------

  /// Ends the current attempt and reports it once.
  void fail(const conn_ptr& c, beast::error_code ec, const char* what) {
    if (c != conn_)
      return;
    conn_.reset();
    queue_.close();
    beast::get_lowest_layer(c->ws).close();
    auto reason = std::string{what} + ": " + ec.message();
    if (ec != asio::error::operation_aborted && ec != websocket::error::closed)
      spdlog::debug("ai_client: {}", reason);
    if (events_.on_down)
      events_.on_down(std::move(reason));
  }

  void do_shutdown() {
    stopped_ = true;
    events_ = {}; // no events after shutdown; drops the actor's handles
    resolver_.cancel();
    queue_.close();
    auto c = std::exchange(conn_, nullptr);
    if (!c)
      return;
    if (!c->ws.is_open()) {
      beast::get_lowest_layer(c->ws).close();
      return;
    }
    c->ws.async_close(websocket::close_code::normal, [c](beast::error_code) {
      beast::get_lowest_layer(c->ws).close();
    });
  }

  strand_type strand_;
  tcp::resolver resolver_;
  std::optional<config::url_parts> url_;
  actors::ai_events events_; // strand only
  ai_client_limits limits_;
  conn_ptr conn_;              // strand only: the current attempt, if any
  std::uint64_t attempts_ = 0; // strand only
  bool stopped_ = false;       // strand only
  ai_send_queue queue_;        // thread-safe
};

} // namespace

actors::ai_channel_factory make_ai_channel_factory(asio::io_context& ioc,
                                                   ai_client_limits limits) {
  return [&ioc, limits](
             const std::string& url,
             actors::ai_events events) -> std::shared_ptr<actors::ai_channel> {
    return std::make_shared<ai_client>(ioc, url, std::move(events), limits);
  };
}

actors::ai_channel_factory make_ai_channel_factory(void* io_context_handle,
                                                   ai_client_limits limits) {
  return make_ai_channel_factory(
      *static_cast<asio::io_context*>(io_context_handle), limits);
}

} // namespace tryon::net
