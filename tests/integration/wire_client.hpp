#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tryon::testing {

/// An HTTP response as the tests see it.
struct http_reply {
  unsigned status = 0;
  std::map<std::string, std::string> headers; ///< lower-case names
  std::string body;
};

/// One blocking HTTP/1.1 request to 127.0.0.1:port (real socket).
http_reply
http_call(int port, const std::string& method, const std::string& target,
          const std::vector<std::pair<std::string, std::string>>& headers = {},
          const std::string& body = {});

/// Sends raw bytes and returns whatever comes back until the server closes
/// (for malformed-request tests; the server must close, since Beast's sync
/// reads ignore the stream timeout).
std::string
raw_exchange(int port, const std::string& bytes,
             std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// A multipart/form-data body; returns {content type, body}.
std::pair<std::string, std::string>
multipart_form(const std::vector<std::pair<std::string, std::string>>& fields,
               const std::string& file_name, const std::string& file_bytes);

/// A message received on a WebSocket.
struct ws_message {
  bool binary = false;
  std::string data;
};

/// A blocking WebSocket client for tests.
class ws_client {
public:
  /// Connects to ws://127.0.0.1:port/target with extra handshake headers;
  /// `handshake_status` receives the HTTP status when the upgrade fails.
  /// A `receive_buffer` (bytes, 0 = the kernel's default) small enough makes
  /// a client that does not read block the server's writes quickly.
  /// `host` is the server's IPv4 address (a network namespace's peer).
  ws_client(
      int port, const std::string& target,
      const std::vector<std::pair<std::string, std::string>>& headers = {},
      int receive_buffer = 0, const std::string& host = "127.0.0.1");
  ~ws_client();

  /// Whether the upgrade succeeded.
  bool open() const;

  /// HTTP status of a refused upgrade (0 when accepted).
  unsigned handshake_status() const;

  /// Sends text.
  void send_text(const std::string& text);

  /// Sends binary.
  void send_binary(const std::string& bytes);

  /// Next message, nullopt when closed or after `timeout`; a close frame
  /// sets close_code().
  std::optional<ws_message>
  read(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  /// Reads until a text message of `type` arrives (skipping others).
  std::optional<std::string>
  read_type(const std::string& type,
            std::chrono::milliseconds timeout = std::chrono::seconds(10));

  /// The close code the server sent, once closed.
  std::optional<unsigned> close_code() const;

  /// Closes cleanly (1000).
  void close();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tryon::testing
