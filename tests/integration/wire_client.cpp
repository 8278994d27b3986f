#include "wire_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace tryon::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

tcp::endpoint local(int port) {
  return {asio::ip::make_address("127.0.0.1"),
          static_cast<unsigned short>(port)};
}

} // namespace

http_reply
http_call(int port, const std::string& method, const std::string& target,
          const std::vector<std::pair<std::string, std::string>>& headers,
          const std::string& body) {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(local(port));
  http::request<http::string_body> req{http::string_to_verb(method), target,
                                       11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (auto& [k, v] : headers)
    req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  if (method == "HEAD")
    parser.skip(true);
  http::read(stream, buffer, parser);
  auto& res = parser.get();
  http_reply out;
  out.status = res.result_int();
  for (auto& f : res) {
    std::string name{f.name_string()};
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string{f.value()};
  }
  out.body = res.body();
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
}

std::string raw_exchange(int port, const std::string& bytes,
                         std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  beast::tcp_stream stream{ioc};
  stream.expires_after(timeout);
  stream.connect(local(port));
  beast::error_code ec;
  asio::write(stream, asio::buffer(bytes), ec);
  std::string out;
  char buf[4096];
  for (;;) {
    auto n = stream.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec)
      break;
  }
  return out;
}

std::pair<std::string, std::string>
multipart_form(const std::vector<std::pair<std::string, std::string>>& fields,
               const std::string& file_name, const std::string& file_bytes) {
  const std::string boundary = "----tryonTestBoundary7MA4YWxk";
  std::string body;
  for (auto& [k, v] : fields)
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" +
            k + "\"\r\n\r\n" + v + "\r\n";
  if (!file_name.empty())
    body += "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
            file_name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" +
            file_bytes + "\r\n";
  body += "--" + boundary + "--\r\n";
  return {"multipart/form-data; boundary=" + boundary, body};
}

struct ws_client::impl {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  bool is_open = false;
  unsigned refused = 0;
  std::optional<unsigned> close_code;
};

ws_client::ws_client(
    int port, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers,
    int receive_buffer, const std::string& host)
  : impl_(std::make_unique<impl>()) {
  auto& d = *impl_;
  beast::get_lowest_layer(d.ws).expires_after(std::chrono::seconds(10));
  if (receive_buffer > 0) {
    // Before connecting: the window is negotiated in the handshake.
    auto& socket = beast::get_lowest_layer(d.ws).socket();
    socket.open(asio::ip::tcp::v4());
    socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  }
  beast::get_lowest_layer(d.ws).connect(tcp::endpoint{
      asio::ip::make_address(host), static_cast<unsigned short>(port)});
  d.ws.set_option(
      websocket::stream_base::decorator([headers](websocket::request_type& r) {
        for (auto& [k, v] : headers)
          r.set(k, v);
      }));
  websocket::response_type res;
  beast::error_code ec;
  d.ws.handshake(res, host + ":" + std::to_string(port), target, ec);
  if (ec) {
    // Beast 1.74 may not fill `res` for a declined upgrade: ask again over
    // plain HTTP with the same upgrade headers to learn the status.
    auto h = headers;
    h.emplace_back("Connection", "Upgrade");
    h.emplace_back("Upgrade", "websocket");
    h.emplace_back("Sec-WebSocket-Version", "13");
    h.emplace_back("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    d.refused = http_call(port, "GET", target, h).status;
    return;
  }
  d.is_open = true;
  d.ws.read_message_max(64 << 20);
}

ws_client::~ws_client() {
  if (impl_->is_open) {
    beast::error_code ec;
    beast::get_lowest_layer(impl_->ws).expires_after(std::chrono::seconds(2));
    impl_->ws.close(websocket::close_code::normal, ec);
  }
}

bool ws_client::open() const {
  return impl_->is_open;
}
unsigned ws_client::handshake_status() const {
  return impl_->refused;
}

void ws_client::send_text(const std::string& text) {
  beast::get_lowest_layer(impl_->ws).expires_after(std::chrono::seconds(10));
  impl_->ws.text(true);
  impl_->ws.write(asio::buffer(text));
}

void ws_client::send_binary(const std::string& bytes) {
  beast::get_lowest_layer(impl_->ws).expires_after(std::chrono::seconds(30));
  impl_->ws.binary(true);
  impl_->ws.write(asio::buffer(bytes));
}

std::optional<ws_message> ws_client::read(std::chrono::milliseconds timeout) {
  auto& d = *impl_;
  if (!d.is_open)
    return std::nullopt;
  // Sync reads ignore the stream's timeout; an async read honours it (and a
  // timeout ends the connection, which is what the tests expect of silence).
  beast::get_lowest_layer(d.ws).expires_after(timeout);
  beast::flat_buffer buffer;
  beast::error_code ec;
  d.ws.async_read(buffer, [&ec](beast::error_code e, std::size_t) { ec = e; });
  d.ioc.restart();
  d.ioc.run();
  if (ec) {
    if (ec == websocket::error::closed)
      d.close_code = d.ws.reason().code;
    d.is_open = false;
    return std::nullopt;
  }
  return ws_message{!d.ws.got_text(), beast::buffers_to_string(buffer.data())};
}

std::optional<std::string>
ws_client::read_type(const std::string& type,
                     std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    auto m = read(left);
    if (!m)
      return std::nullopt;
    if (m->binary)
      continue;
    auto j = nlohmann::json::parse(m->data, nullptr, false);
    if (j.is_object() && j.value("type", "") == type)
      return m->data;
  }
  return std::nullopt;
}

std::optional<unsigned> ws_client::close_code() const {
  return impl_->close_code;
}

void ws_client::close() {
  beast::error_code ec;
  impl_->ws.close(websocket::close_code::normal, ec);
  impl_->is_open = false;
}

} // namespace tryon::testing
