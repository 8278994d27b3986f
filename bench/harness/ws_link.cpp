#include "bench/harness/ws_link.hpp"

#include "bench/harness/tcp_info.hpp"
#include "net/tls_client_stream.hpp"

#include <array>
#include <deque>
#include <optional>
#include <type_traits>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace tryon::bench {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using strand_type = asio::strand<asio::io_context::executor_type>;

constexpr int timer_slots = 4;

using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

// Stream is plain_stream (ws) or tls_stream (wss).
template <class Stream>
class beast_link : public ws_link,
                   public std::enable_shared_from_this<beast_link<Stream>> {
  static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;
  using std::enable_shared_from_this<beast_link<Stream>>::shared_from_this;

public:
  beast_link(asio::io_context& ioc, ws_link_options o)
    : strand_(asio::make_strand(ioc)), ws_(make_ws(o)), opt_(std::move(o)),
      read_timer_(strand_) {}

  void start(ws_link_events events) override {
    events_ = std::move(events);
    asio::post(strand_, [self = shared_from_this()] { self->do_connect(); });
  }

  void send_text(std::string text) override {
    queue_.push_back(
        {true, std::make_shared<const std::string>(std::move(text)), nullptr});
    if (!writing_)
      do_write();
  }

  void send_binary(shared_bytes head, shared_bytes body) override {
    queue_.push_back({false, std::move(head), std::move(body)});
    if (!writing_)
      do_write();
  }

  std::size_t backlog() const override { return queue_.size(); }

  std::uint64_t bytes_acked() const override {
    if (closed_)
      return 0;
    // native_handle() is not const in Asio; reading TCP_INFO changes nothing.
    auto& ws = const_cast<websocket::stream<Stream>&>(ws_);
    return tcp_bytes_acked(
        beast::get_lowest_layer(ws).socket().native_handle());
  }

  void at(int slot, bench_clock::time_point when,
          std::function<void()> fn) override {
    if (closed_ || slot < 0 || slot >= timer_slots)
      return;
    auto& t = timers_[slot];
    if (!t)
      t.emplace(strand_);
    t->expires_at(when);
    const auto gen = ++timer_gen_[slot];
    fns_[slot] = std::move(fn);
    t->async_wait(
        [self = shared_from_this(), slot, gen](boost::system::error_code ec) {
          if (ec || self->closed_ || self->timer_gen_[slot] != gen)
            return;
          auto f = std::move(self->fns_[slot]);
          self->fns_[slot] = nullptr;
          if (f)
            f();
        });
  }

  void post(std::function<void()> fn) override {
    asio::post(strand_, [self = shared_from_this(), fn = std::move(fn)] {
      if (!self->closed_)
        fn();
    });
  }

  void close() override {
    if (closed_ || closing_)
      return;
    closing_ = true;
    if (!open_)
      return finish("closed before open");
    if (!writing_)
      do_write();
  }

private:
  struct outgoing {
    bool text;
    shared_bytes head;
    shared_bytes body;
  };

  void do_connect() {
    beast::error_code ec;
    auto addr = asio::ip::make_address(opt_.address, ec);
    if (ec)
      return finish("bad address " + opt_.address);
    tcp::endpoint ep{addr, opt_.port};
    auto& sock = beast::get_lowest_layer(ws_).socket();
    sock.open(ep.protocol(), ec);
    if (!ec && opt_.rcvbuf > 0)
      sock.set_option(asio::socket_base::receive_buffer_size(opt_.rcvbuf), ec);
    if (ec)
      return finish("socket: " + ec.message());
    beast::get_lowest_layer(ws_).expires_after(opt_.handshake_timeout);
    beast::get_lowest_layer(ws_).async_connect(
        ep, [self = shared_from_this()](beast::error_code ec) {
          self->on_connect(ec);
        });
  }

  void on_connect(beast::error_code ec) {
    if (ec)
      return finish("connect: " + ec.message());
    auto& layer = beast::get_lowest_layer(ws_);
    layer.socket().set_option(tcp::no_delay(true), ec);
    if constexpr (is_tls) {
      auto& tls = ws_.next_layer();
      // SNI only for names (RFC 6066 forbids IP literals there); the
      // certificate is checked against the name or IP either way.
      if (!net::expect_peer(tls.native_handle(), opt_.tls_host))
        return finish("tls: cannot set the peer name " + opt_.tls_host);
      tls.async_handshake(
          asio::ssl::stream_base::client,
          [self = shared_from_this()](beast::error_code ec) {
            if (ec)
              return self->finish(
                  "tls handshake: " +
                  net::handshake_error(self->ws_.next_layer().native_handle(),
                                       ec));
            self->ws_handshake();
          });
      return;
    }
    ws_handshake();
  }

  void ws_handshake() {
    auto& layer = beast::get_lowest_layer(ws_);
    layer.expires_never();
    auto t =
        websocket::stream_base::timeout::suggested(beast::role_type::client);
    t.handshake_timeout = opt_.handshake_timeout;
    ws_.set_option(t);
    websocket::permessage_deflate pmd;
    pmd.client_enable = false;
    ws_.set_option(pmd);
    ws_.read_message_max(64 << 20);
    if (opt_.write_buffer > 0)
      ws_.write_buffer_bytes(opt_.write_buffer);
    ws_.set_option(websocket::stream_base::decorator(
        [h = opt_.headers](websocket::request_type& req) {
          req.set(beast::http::field::user_agent, "tryon-bench");
          for (const auto& [name, value] : h)
            req.set(name, value);
        }));
    ws_.async_handshake(opt_.host_header, opt_.target,
                        [self = shared_from_this()](beast::error_code ec) {
                          self->on_handshake(ec);
                        });
  }

  void on_handshake(beast::error_code ec) {
    if (ec)
      return finish("handshake: " + ec.message());
    open_ = true;
    if (events_.on_open)
      events_.on_open();
    if (closing_ && !writing_)
      do_write();
    do_read();
  }

  void do_read() {
    if (closed_)
      return;
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec,
                                                        std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      // A close frame arrived (the peer started the close): over TLS the
      // read may still end in "stream truncated" when the peer drops TCP
      // without close_notify after the closing handshake; the code counts.
      const bool peer_closed = ec == websocket::error::closed ||
                               ws_.reason().code != websocket::close_code::none;
      if (peer_closed && !close_sent_)
        return finish("closed by peer (" + std::to_string(ws_.reason().code) +
                          ")",
                      ws_.reason().code);
      return finish(ec == websocket::error::closed
                        ? "closed (" + std::to_string(ws_.reason().code) + ")"
                        : "read: " + ec.message());
    }
    auto data = buffer_.data();
    if (events_.on_message)
      events_.on_message(!ws_.got_text(),
                         {static_cast<const char*>(data.data()), data.size()});
    buffer_.consume(buffer_.size());
    if (opt_.read_delay.count() > 0) {
      read_timer_.expires_after(opt_.read_delay);
      read_timer_.async_wait(
          [self = shared_from_this()](boost::system::error_code) {
            self->do_read();
          });
      return;
    }
    do_read();
  }

  void do_write() {
    if (closed_ || !open_)
      return;
    if (queue_.empty()) {
      writing_ = false;
      if (closing_ && !close_sent_) {
        close_sent_ = true;
        ws_.async_close(websocket::close_code::normal,
                        [self = shared_from_this()](beast::error_code) {
                          // the read loop reports the end
                        });
      }
      return;
    }
    writing_ = true;
    const auto& m = queue_.front();
    ws_.text(m.text);
    std::array<asio::const_buffer, 2> bufs{asio::buffer(*m.head),
                                           m.body ? asio::buffer(*m.body)
                                                  : asio::const_buffer{}};
    ws_.async_write(
        bufs, [self = shared_from_this()](beast::error_code ec, std::size_t) {
          self->on_write(ec);
        });
  }

  void on_write(beast::error_code ec) {
    if (ec)
      return finish("write: " + ec.message());
    const auto& m = queue_.front();
    const bool binary = !m.text;
    const std::size_t bytes = m.head->size() + (m.body ? m.body->size() : 0);
    queue_.pop_front();
    if (events_.on_written)
      events_.on_written(binary, bytes);
    do_write();
  }

  void finish(const std::string& why, int close_code = 0) {
    if (closed_)
      return;
    closed_ = true;
    writing_ = false;
    queue_.clear();
    for (int i = 0; i < timer_slots; ++i) {
      if (timers_[i])
        timers_[i]->cancel();
      fns_[i] = nullptr;
    }
    read_timer_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    auto done = std::move(events_.on_closed);
    events_ = {};
    if (done)
      done(why, close_code);
  }

  websocket::stream<Stream> make_ws(const ws_link_options& o) {
    if constexpr (is_tls)
      return websocket::stream<Stream>(strand_, o.tls->ssl);
    else
      return websocket::stream<Stream>(strand_);
  }

  strand_type strand_;
  websocket::stream<Stream> ws_;
  ws_link_options opt_;
  beast::flat_buffer buffer_;
  asio::steady_timer read_timer_;
  ws_link_events events_;
  std::deque<outgoing> queue_;
  std::array<std::optional<asio::steady_timer>, timer_slots> timers_;
  std::array<std::uint64_t, timer_slots> timer_gen_{};
  std::array<std::function<void()>, timer_slots> fns_;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
  bool closed_ = false;
};

} // namespace

std::shared_ptr<ws_link> make_ws_link(boost::asio::io_context& ioc,
                                      ws_link_options options) {
  if (options.tls)
    return std::make_shared<beast_link<tls_stream>>(ioc, std::move(options));
  return std::make_shared<beast_link<plain_stream>>(ioc, std::move(options));
}

} // namespace tryon::bench
