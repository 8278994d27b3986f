#include "net/http_session.hpp"

#include <limits>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include "logging/log_context.hpp"
#include "net/rest/rest_api.hpp"
#include "net/ws_endpoint.hpp"
#include "protocol/multipart.hpp"

namespace tryon::net {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr std::size_t header_limit = 16 * 1024;
constexpr std::size_t json_body_limit = 1024 * 1024;
// Multipart framing around the file part: boundaries and part headers.
constexpr std::size_t multipart_overhead = 64 * 1024;

// Method, target and lower-case headers of a Beast request.
template <class Message>
void fill_request(http_request& out, const Message& msg) {
  out.method = std::string{msg.method_string()};
  out.target = std::string{msg.target()};
  for (const auto& f : msg) {
    std::string name{f.name_string()};
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string{f.value()});
  }
}

// A refused request's unread body is read and dropped (never stored) for at
// most this long or this many bytes: closing with unread data would make the
// kernel reset the connection, and the client might lose the answer.
constexpr auto drain_timeout = std::chrono::seconds(5);
constexpr std::size_t drain_limit = 64 * 1024 * 1024;

} // namespace

http_session::http_session(boost::asio::ip::tcp::socket socket, shared& env,
                           std::shared_ptr<connection_admission::slot> slot,
                           std::string peer)
  : stream_(std::move(socket)), env_(env), slot_(std::move(slot)),
    peer_(std::move(peer)) {}

void http_session::run() {
  boost::asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    self->do_read_header();
  });
}

void http_session::do_read_header() {
  header_parser_.emplace();
  header_parser_->header_limit(header_limit);
  // Body limits depend on the endpoint: set once the header is known.
  header_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  body_parser_.reset();
  upload_parser_.reset();
  sink_.reset();
  // Seconds, not minutes: a client that opens a connection and sends half
  // a request line must not hold it (and its descriptor) for long.
  stream_.expires_after(env_.api.context().cfg.header_timeout);
  http::async_read_header(
      stream_, buffer_, *header_parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_header(ec);
      });
}

void http_session::begin_access() {
  started_ = std::chrono::steady_clock::now();
  access_ = {};
  if (!header_parser_ || !header_parser_->is_header_done()) {
    access_.request_id = logging::make_request_id();
    return;
  }
  const auto& req = header_parser_->get();
  access_.method = std::string{req.method_string()};
  access_.path = loggable_path({req.target().data(), req.target().size()});
  auto rid = req["X-Request-ID"];
  access_.request_id = logging::request_id_for({rid.data(), rid.size()});
}

void http_session::on_header(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == boost::asio::error::operation_aborted)
    return;
  begin_access();
  if (ec == http::error::header_limit)
    return reject(431, "Request header fields too large.");
  if (ec)
    return reject(400, "Malformed HTTP request.");
  const auto& req = header_parser_->get();
  if (!admit_forwarded_client())
    return;
  keep_alive_ = req.keep_alive();
  version_ = req.version();
  head_ = req.method() == http::verb::head;
  std::string_view target{req.target().data(), req.target().size()};
  if (env_.probes_only && !is_probe_path(target.substr(0, target.find('?'))))
    return reject(404, "Not found: this listener serves /healthz, /readyz "
                       "and /metrics only.");
  bool is_upload =
      req.method() == http::verb::post &&
      target.substr(0, target.find('?')) == rest::rest_api::upload_path;
  if (is_upload) {
    const auto limit =
        env_.api.context().cfg.max_upload_size + multipart_overhead;
    if (auto len = header_parser_->content_length(); len && *len > limit)
      return reject(413,
                    "File too large: the limit is " +
                        std::to_string(env_.api.context().cfg.max_upload_size) +
                        " bytes");
    return admit_upload();
  }
  read_body_after_header();
}

void http_session::read_body_after_header() {
  const auto& req = header_parser_->get();
  if (auto len = header_parser_->content_length();
      len && *len > json_body_limit)
    return reject(413, "Request body too large.");
  if (req[http::field::expect] == "100-continue")
    return send_continue_then(&http_session::do_read_body);
  do_read_body();
}

bool http_session::admit_forwarded_client() {
  // Behind a trusted proxy every request names its client: that address
  // is the one counted (the proxy's own connections count only in total).
  if (!env_.admission || !slot_ || !is_trusted(peer_, env_.trusted_proxies))
    return true;
  std::string forwarded;
  const auto& req = header_parser_->get();
  for (auto [it, end] = req.equal_range("X-Forwarded-For"); it != end; ++it) {
    if (!forwarded.empty())
      forwarded += ',';
    forwarded.append(it->value().data(), it->value().size());
  }
  auto client = client_address(peer_, forwarded, env_.trusted_proxies);
  if (client == peer_)
    client.clear();
  if (env_.admission->move_to(*slot_, client) ==
      connection_admission::verdict::admitted)
    return true;
  version_ = req.version();
  reject(503, "Too many connections from this address.",
         {{"Retry-After", "1"}});
  return false;
}

// Authentication and the upload quotas come from the headers alone (on the
// blocking pool: they query the database and Redis), before any body byte
// is read, any file opened or any 100 Continue sent: an anonymous or
// throttled client costs no disk.
void http_session::admit_upload() {
  http_request req;
  fill_request(req, header_parser_->get());
  req.remote_address = remote_address();
  std::uint64_t declared = header_parser_->content_length().value_or(
      env_.api.context().cfg.max_upload_size);
  boost::asio::post(env_.blocking, [self = shared_from_this(),
                                    req = std::move(req), declared] {
    auto outcome = self->env_.api.admit_upload(req, declared);
    boost::asio::post(self->stream_.get_executor(),
                      [self, outcome = std::move(outcome)]() mutable {
                        self->on_admitted(std::move(outcome));
                      });
  });
}

void http_session::on_admitted(
    std::variant<persistence::user, http_response> outcome) {
  if (auto* refused = std::get_if<http_response>(&outcome)) {
    keep_alive_ = false;
    refused->close = true;
    drain_on_close_ = true;
    return write(std::move(*refused));
  }
  const auto& req = header_parser_->get();
  if (auto b = protocol::multipart_boundary(
          std::string{req[http::field::content_type]}))
    return do_read_upload(std::move(*b),
                          std::get<persistence::user>(std::move(outcome)));
  read_body_after_header();
}

void http_session::send_continue_then(void (http_session::*next)()) {
  auto res = std::make_shared<http::response<http::empty_body>>(
      http::status::continue_, version_);
  write_message(res, [self = shared_from_this(), next](beast::error_code ec,
                                                       std::size_t) {
    if (!ec)
      ((*self).*next)();
  });
}

// A body must keep coming: each read may stall for at most the header
// timeout, and after that grace the body as a whole must arrive at the
// minimum rate, so a trickle of bytes cannot hold the connection.
template <class Parser>
void http_session::read_body_some(
    Parser& parser, void (http_session::*done)(beast::error_code)) {
  if (parser.is_done())
    return ((*this).*done)({});
  const auto& cfg = env_.api.context().cfg;
  stream_.expires_after(cfg.header_timeout);
  http::async_read_some(
      stream_, buffer_, parser,
      [self = shared_from_this(), &parser, done](beast::error_code ec,
                                                 std::size_t n) {
        if (ec || parser.is_done())
          return ((*self).*done)(ec);
        self->body_bytes_ += n;
        const auto& c = self->env_.api.context().cfg;
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - self->body_started_);
        if (!body_rate_ok(self->body_bytes_, elapsed, c.upload_min_rate,
                          c.header_timeout))
          return self->reject(408, "Request body too slow.");
        self->read_body_some(parser, done);
      });
}

void http_session::do_read_body() {
  body_parser_.emplace(std::move(*header_parser_));
  body_parser_->body_limit(json_body_limit);
  body_bytes_ = 0;
  body_started_ = std::chrono::steady_clock::now();
  read_body_some(*body_parser_, &http_session::on_body);
}

void http_session::on_body(beast::error_code ec) {
  if (ec == beast::error::timeout)
    return;
  if (ec == http::error::body_limit)
    return reject(413, "Request body too large.");
  if (ec)
    return reject(400, "Malformed HTTP request body.");
  auto& req = body_parser_->get();
  if (beast::websocket::is_upgrade(req)) {
    if (!env_.ws)
      return reject(404, "Not found.");
    stream_.expires_never();
    env_.ws->accept(stream_.release_socket(), body_parser_->release(),
                    std::move(slot_));
    return;
  }
  dispatch_to_api(to_request(), false);
}

void http_session::do_read_upload(std::string boundary,
                                  persistence::user owner) {
  const auto& cfg = env_.api.context().cfg;
  sink_ = std::make_shared<rest::upload_sink>(
      env_.api.context().media, cfg.max_upload_size, std::move(boundary));
  sink_->owner = std::move(owner);
  bool expect_continue =
      header_parser_->get()[http::field::expect] == "100-continue";
  upload_parser_.emplace(std::move(*header_parser_));
  upload_parser_->get().body() = sink_;
  upload_parser_->body_limit(cfg.max_upload_size + multipart_overhead);
  auto read = [](http_session& s) {
    s.body_bytes_ = 0;
    s.body_started_ = std::chrono::steady_clock::now();
    s.read_body_some(*s.upload_parser_, &http_session::on_upload);
  };
  if (!expect_continue)
    return read(*this);
  auto res = std::make_shared<http::response<http::empty_body>>(
      http::status::continue_, version_);
  write_message(res, [self = shared_from_this(), read](beast::error_code ec,
                                                       std::size_t) {
    if (!ec)
      read(*self);
  });
}

void http_session::on_upload(beast::error_code ec) {
  if (ec == beast::error::timeout)
    return;
  if (ec == http::error::body_limit)
    return reject(413,
                  "File too large: the limit is " +
                      std::to_string(env_.api.context().cfg.max_upload_size) +
                      " bytes");
  if (ec && sink_->error_status() == 0)
    return reject(400, "Malformed upload body.");
  // The body may have stopped early (the sink failed): answer, then close.
  if (ec)
    keep_alive_ = false;
  dispatch_to_api(to_request(), true);
}

http_request http_session::to_request() const {
  http_request out;
  if (upload_parser_)
    fill_request(out, upload_parser_->get());
  else {
    fill_request(out, body_parser_->get());
    out.body = body_parser_->get().body();
  }
  out.remote_address = remote_address();
  return out;
}

std::string http_session::remote_address() const {
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  return ec ? std::string{} : ep.address().to_string();
}

void http_session::dispatch_to_api(http_request req, bool upload) {
  if (!split_target(req))
    return reject(400, "Malformed request target.");
  boost::asio::post(env_.blocking, [self = shared_from_this(),
                                    req = std::move(req), upload]() mutable {
    // Lines the handler logs carry the request id; it notes the user.
    logging::request_scope scope{self->access_.request_id};
    auto res = upload ? self->env_.api.handle_upload(req, self->sink_.get())
                      : self->env_.api.handle(req);
    self->access_.user_id = scope.user_id();
    // The sink's temp file must not outlive the request.
    self->sink_.reset();
    boost::asio::post(self->stream_.get_executor(),
                      [self, res = std::move(res)]() mutable {
                        self->write(std::move(res));
                      });
  });
}

void http_session::reject(
    unsigned status, std::string_view message,
    std::vector<std::pair<std::string, std::string>> headers) {
  keep_alive_ = false;
  drain_on_close_ = true;
  sink_.reset();
  auto res = http_response::detail(status, message);
  res.headers = std::move(headers);
  write(std::move(res));
}

// Each piece of a response gets the write timeout afresh: a slow reader
// still gets a large file, a peer that stops reading is cut off.
template <class Serializer>
void http_session::write_some_of(std::shared_ptr<Serializer> sr,
                                 write_done then, std::size_t sent) {
  stream_.expires_after(env_.api.context().cfg.write_timeout);
  http::async_write_some(stream_, *sr,
                         [self = shared_from_this(), sr, then = std::move(then),
                          sent](beast::error_code ec, std::size_t n) mutable {
                           sent += n;
                           if (ec || sr->is_done())
                             return then(ec, sent);
                           self->write_some_of(std::move(sr), std::move(then),
                                               sent);
                         });
}

template <class Body>
void http_session::write_message(std::shared_ptr<http::response<Body>> msg,
                                 write_done then) {
  pending_write_ = msg;
  write_some_of(std::make_shared<http::response_serializer<Body>>(*msg),
                std::move(then), 0);
}

void http_session::write(http_response res) {
  bool close = res.close || !keep_alive_;
  access_.status = res.status;
  auto prepare = [&](auto& msg) {
    msg.result(res.status);
    msg.version(version_);
    msg.set(http::field::server, "tryon-server");
    msg.set(http::field::content_type, res.content_type);
    // Every answer: a browser must never guess a type (an upload served
    // as HTML would run script on our origin).
    msg.set("X-Content-Type-Options", "nosniff");
    msg.set("X-Request-ID", access_.request_id);
    for (const auto& [k, v] : res.headers)
      msg.set(k, v);
    msg.keep_alive(!close);
  };
  if (res.file) {
    auto msg = std::make_shared<http::response<http::file_body>>();
    beast::error_code ec;
    msg->body().open(res.file->c_str(), beast::file_mode::scan, ec);
    if (ec)
      return write(http_response::detail(404, "Not found."));
    prepare(*msg);
    msg->prepare_payload();
    auto done = [self = shared_from_this(), close](beast::error_code ec,
                                                   std::size_t n) {
      self->on_write(close, ec, n);
    };
    if (head_) {
      msg->body().close();
      auto headers = std::make_shared<http::response<http::empty_body>>();
      static_cast<http::response_header<>&>(*headers) = msg->base();
      return write_message(headers, done);
    }
    return write_message(msg, done);
  }
  auto msg = std::make_shared<http::response<http::string_body>>();
  prepare(*msg);
  msg->body() = std::move(res.body);
  msg->prepare_payload();
  if (head_)
    msg->body().clear(); // Content-Length stays that of the GET body.
  write_message(msg, [self = shared_from_this(), close](beast::error_code ec,
                                                        std::size_t n) {
    self->on_write(close, ec, n);
  });
}

void http_session::on_write(bool close, beast::error_code ec,
                            std::size_t bytes) {
  pending_write_.reset();
  access_.bytes = bytes;
  access_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_)
          .count();
  const auto& ctx = env_.api.context();
  log_http_access(access_, ctx.cfg.node_id, ctx.metrics);
  if (ec)
    return;
  if (close) {
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
    if (drain_on_close_) {
      stream_.expires_after(drain_timeout);
      drain();
    }
    return;
  }
  do_read_header();
}

void http_session::drain() {
  buffer_.consume(buffer_.size());
  stream_.async_read_some(
      buffer_.prepare(16 * 1024),
      [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        self->drained_ += n;
        if (!ec && self->drained_ < drain_limit)
          self->drain();
      });
}

} // namespace tryon::net
