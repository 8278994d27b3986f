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

constexpr auto io_timeout = std::chrono::seconds(30);
constexpr std::size_t header_limit = 16 * 1024;
constexpr std::size_t json_body_limit = 1024 * 1024;
// Multipart framing around the file part: boundaries and part headers.
constexpr std::size_t multipart_overhead = 64 * 1024;

} // namespace

http_session::http_session(boost::asio::ip::tcp::socket socket, shared& env)
  : stream_(std::move(socket)), env_(env) {}

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
  stream_.expires_after(io_timeout);
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
  keep_alive_ = req.keep_alive();
  version_ = req.version();
  head_ = req.method() == http::verb::head;
  std::string_view target{req.target().data(), req.target().size()};
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
    if (auto b = protocol::multipart_boundary(
            std::string{req[http::field::content_type]}))
      return do_read_upload(std::move(*b));
  }
  if (auto len = header_parser_->content_length();
      len && *len > json_body_limit)
    return reject(413, "Request body too large.");
  if (req[http::field::expect] == "100-continue")
    return send_continue_then(&http_session::do_read_body);
  do_read_body();
}

void http_session::send_continue_then(void (http_session::*next)()) {
  auto res = std::make_shared<http::response<http::empty_body>>(
      http::status::continue_, version_);
  pending_write_ = res;
  http::async_write(
      stream_, *res,
      [self = shared_from_this(), next](beast::error_code ec, std::size_t) {
        if (ec)
          return;
        ((*self).*next)();
      });
}

void http_session::do_read_body() {
  body_parser_.emplace(std::move(*header_parser_));
  body_parser_->body_limit(json_body_limit);
  http::async_read(
      stream_, buffer_, *body_parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_body(ec);
      });
}

void http_session::on_body(beast::error_code ec) {
  if (ec == http::error::body_limit)
    return reject(413, "Request body too large.");
  if (ec)
    return reject(400, "Malformed HTTP request body.");
  auto& req = body_parser_->get();
  if (beast::websocket::is_upgrade(req)) {
    if (!env_.ws)
      return reject(404, "Not found.");
    stream_.expires_never();
    env_.ws->accept(stream_.release_socket(), body_parser_->release());
    return;
  }
  dispatch_to_api(to_request(), false);
}

void http_session::do_read_upload(std::string boundary) {
  const auto& cfg = env_.api.context().cfg;
  sink_ = std::make_shared<rest::upload_sink>(
      env_.api.context().media, cfg.max_upload_size, std::move(boundary));
  bool expect_continue =
      header_parser_->get()[http::field::expect] == "100-continue";
  upload_parser_.emplace(std::move(*header_parser_));
  upload_parser_->get().body() = sink_;
  upload_parser_->body_limit(cfg.max_upload_size + multipart_overhead);
  auto read = [](http_session& s) {
    s.stream_.expires_after(std::chrono::seconds(120));
    http::async_read(
        s.stream_, s.buffer_, *s.upload_parser_,
        [self = s.shared_from_this()](beast::error_code ec, std::size_t) {
          self->on_upload(ec);
        });
  };
  if (!expect_continue)
    return read(*this);
  auto res = std::make_shared<http::response<http::empty_body>>(
      http::status::continue_, version_);
  pending_write_ = res;
  http::async_write(
      stream_, *res,
      [self = shared_from_this(), read](beast::error_code ec, std::size_t) {
        if (!ec)
          read(*self);
      });
}

void http_session::on_upload(beast::error_code ec) {
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
  auto fill = [&out](const auto& msg) {
    out.method = std::string{msg.method_string()};
    out.target = std::string{msg.target()};
    for (const auto& f : msg) {
      std::string name{f.name_string()};
      for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers.emplace_back(std::move(name), std::string{f.value()});
    }
  };
  if (upload_parser_)
    fill(upload_parser_->get());
  else {
    fill(body_parser_->get());
    out.body = body_parser_->get().body();
  }
  return out;
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

void http_session::reject(unsigned status, std::string_view message) {
  keep_alive_ = false;
  sink_.reset();
  write(http_response::detail(status, message));
}

void http_session::write(http_response res) {
  bool close = res.close || !keep_alive_;
  access_.status = res.status;
  auto prepare = [&](auto& msg) {
    msg.result(res.status);
    msg.version(version_);
    msg.set(http::field::server, "tryon-server");
    msg.set(http::field::content_type, res.content_type);
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
    if (head_)
      msg->body().close();
    pending_write_ = msg;
    if (head_) {
      auto headers = std::make_shared<http::response<http::empty_body>>();
      static_cast<http::response_header<>&>(*headers) = msg->base();
      pending_write_ = headers;
      return http::async_write(stream_, *headers,
                               [self = shared_from_this(),
                                close](beast::error_code ec, std::size_t n) {
                                 self->on_write(close, ec, n);
                               });
    }
    return http::async_write(stream_, *msg,
                             [self = shared_from_this(),
                              close](beast::error_code ec, std::size_t n) {
                               self->on_write(close, ec, n);
                             });
  }
  auto msg = std::make_shared<http::response<http::string_body>>();
  prepare(*msg);
  msg->body() = std::move(res.body);
  msg->prepare_payload();
  if (head_)
    msg->body().clear(); // Content-Length stays that of the GET body.
  pending_write_ = msg;
  http::async_write(
      stream_, *msg,
      [self = shared_from_this(), close](beast::error_code ec, std::size_t n) {
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
    return;
  }
  do_read_header();
}

} // namespace tryon::net
