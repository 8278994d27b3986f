#include "net/ws_session.hpp"

#include <chrono>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include "logging/log_context.hpp"
#include "persistence/store_error.hpp"
#include "protocol/client_message.hpp"
#include "protocol/close_codes.hpp"
#include "protocol/server_message.hpp"
#include "protocol/uuid.hpp"

namespace tryon::net {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {

constexpr std::string_view ws_prefix = "/ws/try-on/";
constexpr std::size_t read_chunk = 64 * 1024;
// Text answers waiting for a client that does not read.
constexpr std::size_t max_queued_texts = 64;

} // namespace

ws_session::ws_session(boost::asio::ip::tcp::socket socket,
                       http::request<http::string_body> req, ws_context& env,
                       std::shared_ptr<void> slot)
  : ws_(std::move(socket)), req_(std::move(req)), env_(env),
    slot_(std::move(slot)), write_timer_(ws_.get_executor()),
    init_timer_(ws_.get_executor()) {
  ++*env_.live_sessions;
  auto rid = req_["X-Request-ID"];
  access_.request_id = logging::request_id_for({rid.data(), rid.size()});
}

ws_session::~ws_session() {
  // A connection that never reached closed() (a failed handshake) still
  // gets its line.
  log_end();
  --*env_.live_sessions;
  if (counted_peer_ && env_.metrics)
    env_.metrics->ws_peers(-1);
}

void ws_session::run() {
  boost::asio::dispatch(ws_.get_executor(), [self = shared_from_this()] {
    auto& cfg = self->env_.rest.cfg;
    std::string origin{self->req_[http::field::origin]};
    if (!origin.empty() && !cfg.origin_allowed(origin))
      return self->reject_http(403, "Origin not allowed.");
    http_request r;
    r.target = std::string{self->req_.target()};
    if (!split_target(r) ||
        r.path.compare(0, ws_prefix.size(), ws_prefix) != 0 ||
        r.path.back() != '/')
      return self->reject_http(404, "Not found.");
    self->session_id_ =
        r.path.substr(ws_prefix.size(), r.path.size() - ws_prefix.size() - 1);
    self->access_.session_id = self->session_id_.substr(0, 64);
    // A capped send buffer keeps a slow phone's backlog (and its kernel
    // memory) small: the stale-frame policy then drops frames instead.
    if (cfg.client_send_buffer > 0) {
      beast::error_code ec;
      self->ws_.next_layer().socket().set_option(
          boost::asio::socket_base::send_buffer_size(
              static_cast<int>(cfg.client_send_buffer)),
          ec);
    }
    websocket::stream_base::timeout t =
        websocket::stream_base::timeout::suggested(beast::role_type::server);
    t.idle_timeout = cfg.ws_idle_timeout;
    // The handshake's answer and the closing handshake are writes too.
    t.handshake_timeout = cfg.write_timeout;
    t.keep_alive_pings = true;
    self->ws_.set_option(t);
    self->ws_.set_option(websocket::stream_base::decorator(
        [rid = self->access_.request_id](websocket::response_type& res) {
          res.set(http::field::server, "tryon-server");
          res.set("X-Content-Type-Options", "nosniff");
          res.set("X-Request-ID", rid);
        }));
    // Size limits are enforced per message in on_read (FRAME_TOO_LARGE keeps
    // the connection open), so Beast's own limit is lifted.
    self->ws_.read_message_max(0);
    // One WebSocket frame per message: Beast's default auto-fragmenting at
    // its 4 KB write buffer costs a send() per 4 KB of every processed
    // frame (docs/PERFORMANCE.md).
    self->ws_.auto_fragment(false);
    self->ws_.async_accept(
        self->req_, [self](beast::error_code ec) { self->on_accept(ec); });
  });
}

void ws_session::reject_http(unsigned status, std::string_view detail) {
  auto res = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(status), req_.version());
  res->set(http::field::content_type, "application/json");
  res->set("X-Content-Type-Options", "nosniff");
  res->set("X-Request-ID", access_.request_id);
  res->body() = nlohmann::json{{"detail", detail}}.dump();
  // Refused before the upgrade: an HTTP request as far as the log goes.
  access_logged_ = true;
  http_access a;
  a.method = std::string{req_.method_string()};
  a.path = loggable_path({req_.target().data(), req_.target().size()});
  a.request_id = access_.request_id;
  a.status = status;
  a.bytes = res->body().size();
  a.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_)
          .count();
  log_http_access(a, env_.rest.cfg.node_id, env_.rest.metrics);
  res->keep_alive(false);
  res->prepare_payload();
  http::async_write(
      ws_.next_layer(), *res,
      [self = shared_from_this(), res](beast::error_code, std::size_t) {
        beast::error_code ec;
        self->ws_.next_layer().socket().shutdown(
            boost::asio::ip::tcp::socket::shutdown_both, ec);
      });
}

void ws_session::on_accept(beast::error_code ec) {
  if (ec)
    return; // handshake failed: nothing was attached
  arm_init_timer();
  authorise();
}

// An upgraded connection that never starts a session holds a descriptor
// and a place for nothing: it gets a bounded time to send init_session.
void ws_session::arm_init_timer() {
  init_timer_.expires_after(env_.rest.cfg.ws_init_timeout);
  init_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->init_seen_ || self->done_ || self->close_sent_)
      return;
    spdlog::debug("ws {}: no init_session in time; closing", self->session_id_);
    self->send_text(protocol::error_message(
        protocol::error_code::not_initialized,
        "No init_session within " +
            std::to_string(self->env_.rest.cfg.ws_init_timeout.count()) + " ms",
        protocol::now_ms()));
    self->close(protocol::close_code::policy_violation);
  });
}

void ws_session::note_text(const std::string& text) {
  if (init_seen_)
    return;
  auto parsed = protocol::parse_client_message(text);
  if (auto* msg = std::get_if<protocol::client_message>(&parsed);
      msg && std::holds_alternative<protocol::init_session_msg>(*msg)) {
    init_seen_ = true;
    init_timer_.cancel();
  }
}

// Closing the socket ends the blocked operations at once (with an error),
// so the session is torn down rather than waiting behind the write.
void ws_session::cut_off() {
  beast::error_code ec;
  ws_.next_layer().socket().shutdown(
      boost::asio::ip::tcp::socket::shutdown_both, ec);
  ws_.next_layer().socket().close(ec);
}

void ws_session::authorise() {
  env_.post_blocking([self = shared_from_this()] {
    logging::request_scope scope{self->access_.request_id};
    ws_upgrade upgrade{std::string{self->req_.target()},
                       std::string{self->req_[http::field::authorization]},
                       self->session_id_};
    auto decision = admit_ws(self->env_.rest, upgrade,
                             [&self](const actors::session_info& info) {
                               return self->env_.gateway.attach(info, self);
                             });
    boost::asio::post(self->ws_.get_executor(),
                      [self, decision = std::move(decision)] {
                        self->on_authorised(decision);
                      });
  });
}

void ws_session::on_authorised(const ws_admission& decision) {
  inbox_ = decision.inbox;
  if (decision.holds_live_slot)
    live_user_ = decision.info->user_id;
  if (decision.info)
    access_.user_id = decision.info->user_id;
  if (decision.error) {
    if (env_.metrics)
      env_.metrics->add_error(
          std::string{protocol::to_string(*decision.error)});
    send_text(protocol::error_message(*decision.error, decision.error_text,
                                      protocol::now_ms()));
  }
  if (decision.close_code != 0) {
    if (env_.metrics)
      env_.metrics->ws_refused(decision.close_code);
    close(decision.close_code);
  } else if (inbox_ && env_.metrics) {
    counted_peer_ = true;
    env_.metrics->ws_peers(1);
  }
  do_read();
}

void ws_session::do_read() {
  ws_.async_read_some(
      buffer_, read_chunk,
      [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        self->on_read(ec, n);
      });
}

void ws_session::on_read(beast::error_code ec, std::size_t n) {
  if (ec) {
    if (access_.close_code == 0) {
      bool by_client = ec == websocket::error::closed;
      access_.close_code = by_client ? ws_.reason().code : 1006;
      access_.closed_by = by_client ? "client" : "network";
    }
    return closed();
  }
  message_size_ += n;
  const auto& cfg = env_.rest.cfg;
  // Text is JSON control traffic: bounded far below a frame's size.
  const auto limit =
      ws_.got_text() ? cfg.max_text_message_size : cfg.max_frame_size;
  if (!discarding_ && message_size_ > limit)
    discarding_ = true;
  if (discarding_)
    buffer_.consume(buffer_.size());
  if (ws_.is_message_done()) {
    if (inbox_ && !close_sent_) {
      if (discarding_ && ws_.got_text()) {
        send_text(protocol::error_message(
            protocol::error_code::frame_too_large,
            "Text message of " + std::to_string(message_size_) +
                " bytes exceeds the limit of " + std::to_string(limit),
            protocol::now_ms()));
      } else if (discarding_) {
        inbox_->on_oversized(message_size_);
      } else if (ws_.got_text()) {
        auto text = beast::buffers_to_string(buffer_.data());
        note_text(text);
        inbox_->on_text(std::move(text));
      } else {
        auto message = beast::buffers_to_string(buffer_.data());
        ++access_.frames_in;
        if (inbox_->counters().offer(message))
          inbox_->on_binary(std::move(message));
      }
    }
    buffer_.consume(buffer_.size());
    // One large frame must not pin its buffer for the connection's life.
    if (buffer_.capacity() > 4 * read_chunk)
      buffer_.shrink_to_fit();
    message_size_ = 0;
    discarding_ = false;
  }
  do_read();
}

// The three writers below are called by the session actor. Run on the
// network thread (actors/io_scheduler) they write at once through
// dispatch(), rather than queueing another turn of the I/O loop; from any
// other thread dispatch() posts. The strand keeps their order either way.
void ws_session::send_text(std::string text) {
  boost::asio::dispatch(ws_.get_executor(), [self = shared_from_this(),
                                             text = std::move(text)]() mutable {
    if (self->done_ || self->close_sent_)
      return;
    if (self->queued_texts_ >= max_queued_texts ||
        self->queued_text_bytes_ + text.size() >
            self->env_.rest.cfg.max_queued_text_bytes) {
      spdlog::warn("ws {}: client does not read; closing", self->session_id_);
      return self->close(protocol::close_code::policy_violation);
    }
    self->queued_texts_++;
    self->queued_text_bytes_ += text.size();
    self->enqueue({std::make_shared<const std::string>(std::move(text)), 0,
                   false, false, std::nullopt, true});
  });
}

void ws_session::send_frame(std::string meta,
                            std::shared_ptr<const std::string> message,
                            std::size_t image_offset) {
  boost::asio::dispatch(ws_.get_executor(), [self = shared_from_this(),
                                             meta = std::move(meta), message,
                                             image_offset]() mutable {
    if (self->done_ || self->close_sent_)
      return;
    self->enqueue({std::make_shared<const std::string>(std::move(meta)), 0,
                   false, false, std::nullopt});
    self->enqueue({std::move(message), image_offset, true, true, std::nullopt});
  });
}

void ws_session::close(std::uint16_t code) {
  boost::asio::dispatch(ws_.get_executor(), [self = shared_from_this(), code] {
    if (self->done_ || self->close_sent_)
      return;
    self->close_sent_ = true;
    if (self->access_.close_code == 0) {
      self->access_.close_code = code;
      self->access_.closed_by = "server";
    }
    self->enqueue({nullptr, 0, false, false, code});
  });
}

void ws_session::enqueue(outgoing item) {
  queue_.push_back(std::move(item));
  if (!writing_)
    do_write();
}

void ws_session::do_write() {
  if (queue_.empty() || done_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  auto& item = queue_.front();
  auto self = shared_from_this();
  // A peer that stops reading blocks this write for good: cut it off.
  write_timer_.expires_after(env_.rest.cfg.write_timeout);
  write_timer_.async_wait([self, seq = ++write_seq_](beast::error_code ec) {
    if (ec || self->done_ || !self->writing_ || seq != self->write_seq_)
      return;
    spdlog::debug("ws {}: write blocked past the write timeout; closing",
                  self->session_id_);
    self->cut_off();
  });
  if (item.close_code) {
    return ws_.async_close(
        websocket::close_reason{*item.close_code},
        [self](beast::error_code ec) { self->on_write(ec); });
  }
  ws_.text(!item.binary);
  ws_.async_write(
      boost::asio::buffer(item.data->data() + item.offset,
                          item.data->size() - item.offset),
      [self](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void ws_session::on_write(beast::error_code ec) {
  write_timer_.cancel();
  if (ec || queue_.empty()) {
    if (ec && !done_)
      cut_off(); // the read side must end too
    return closed();
  }
  auto item = std::move(queue_.front());
  queue_.pop_front();
  if (item.counted) {
    queued_texts_--;
    queued_text_bytes_ -= item.data->size();
  }
  if (item.frame_end && inbox_) {
    ++access_.frames_processed;
    auto& c = inbox_->counters();
    c.written_at_ns.store(
        std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::steady_clock::now().time_since_epoch())
            .count());
    c.frame_writing.store(false);
    // An actor message only when the actor holds the next frame for us.
    if (c.notify_written.exchange(false))
      inbox_->on_frame_written();
  }
  do_write();
}

void ws_session::release_live_slot() {
  if (!live_user_)
    return;
  auto* limiter = env_.rest.live_sessions;
  env_.post_blocking([limiter, user = *live_user_, id = session_id_] {
    limiter->release(user, id);
  });
  live_user_.reset();
}

// One line per connection, when the socket is done with (the session
// actor may hold this object a while longer).
void ws_session::log_end() {
  if (access_logged_)
    return;
  access_logged_ = true;
  access_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_)
          .count();
  if (access_.close_code == 0) {
    access_.close_code = 1006;
    access_.closed_by = "network";
  }
  log_ws_end(access_, env_.rest.cfg.node_id, env_.metrics);
}

void ws_session::closed() {
  if (done_)
    return;
  done_ = true;
  release_live_slot();
  writing_ = false;
  queue_.clear();
  queued_texts_ = 0;
  queued_text_bytes_ = 0;
  write_timer_.cancel();
  init_timer_.cancel();
  if (counted_peer_ && env_.metrics)
    env_.metrics->ws_peers(-1);
  counted_peer_ = false;
  if (inbox_) {
    access_.frames_shed = inbox_->counters().shed.load();
    inbox_->on_closed();
  }
  log_end();
  inbox_.reset();
}

} // namespace tryon::net
