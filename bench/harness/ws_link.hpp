#pragma once

#include "bench/harness/dialect.hpp"
#include "bench/harness/run_recorder.hpp"
#include "bench/harness/tls_client.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tryon::bench {

/// Settings of one client WebSocket connection.
struct ws_link_options {
  std::string address;     ///< IP literal to connect to
  std::uint16_t port = 0;  ///< TCP port
  std::string host_header; ///< "host:port"
  std::string target;      ///< request target, e.g. /ws/try-on/<id>/
  /// Set: wss (TLS handshake verifying the certificate against the
  /// context's CA and `tls_host`); null: plain ws.
  std::shared_ptr<tls_client_context> tls;
  std::string tls_host; ///< host name or IP the certificate must match
  /// Extra handshake headers (e.g. Authorization).
  std::vector<std::pair<std::string, std::string>> headers;
  int rcvbuf = 0; ///< SO_RCVBUF before connecting; 0 keeps the default
  /// Pause after each received message before reading on (slow reader).
  std::chrono::milliseconds read_delay{0};
  /// Beast's write (masking) buffer; 0 keeps Beast's 4 KB.
  std::size_t write_buffer = 0;
  /// Connect + handshake deadline.
  std::chrono::seconds handshake_timeout{20};
};

/// What a link reports; always called on the link's strand.
struct ws_link_events {
  /// The handshake succeeded.
  std::function<void()> on_open;
  /// A whole message arrived (`data` is valid during the call only).
  std::function<void(bool binary, std::string_view data)> on_message;
  /// The connection is gone (or never came up); called once. `close_code`
  /// is the peer's close code, 0 when no close frame arrived (dropped,
  /// refused, timed out, or closed by us).
  std::function<void(const std::string& why, int close_code)> on_closed;
  /// A queued message was written whole (handed to the kernel): `bytes` of
  /// payload. Optional.
  std::function<void(bool binary, std::size_t bytes)> on_written;
};

/// A client WebSocket, ws or wss (Beast behind this Beast-free interface):
/// TCP_NODELAY, no compression, one write at a time from a queue, timers on its
/// strand.
class ws_link {
public:
  virtual ~ws_link() = default;

  /// Connects and handshakes; events follow on the strand.
  virtual void start(ws_link_events events) = 0;

  /// Queues a text message (strand only).
  virtual void send_text(std::string text) = 0;

  /// Queues a binary message sent as head + body (strand only).
  virtual void send_binary(shared_bytes head, shared_bytes body) = 0;

  /// Messages queued or being written (strand only).
  virtual std::size_t backlog() const = 0;

  /// Bytes of this connection's outgoing TCP stream the peer acknowledged
  /// (handshake and framing included; 0 before connecting or when the
  /// kernel does not say). Strand only.
  virtual std::uint64_t bytes_acked() const { return 0; }

  /// Runs `fn` on the strand at `when`, replacing what timer `slot` (0-3)
  /// had pending. Timers stop when the link closes.
  virtual void at(int slot, bench_clock::time_point when,
                  std::function<void()> fn) = 0;

  /// Runs `fn` on the strand (callable from any thread).
  virtual void post(std::function<void()> fn) = 0;

  /// Closes with 1000 once the queue is written (strand only).
  virtual void close() = 0;
};

/// A link on `ioc` (which must outlive it).
std::shared_ptr<ws_link> make_ws_link(boost::asio::io_context& ioc,
                                      ws_link_options options);

} // namespace tryon::bench
