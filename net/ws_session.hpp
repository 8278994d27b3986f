#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "actors/ports.hpp"
#include "net/access_log.hpp"
#include "net/ws_admission.hpp"
#include "net/ws_context.hpp"

namespace tryon::net {

/// One phone's WebSocket on /ws/try-on/<uuid>/: checks the Origin, accepts,
/// authorises on the blocking pool (close 4001/4003/4004/4008), then feeds
/// the session actor through a client_inbox and writes what it sends back
/// (one write at a time, bounded queue).
class ws_session : public actors::client_peer,
                   public std::enable_shared_from_this<ws_session> {
public:
  /// Takes the upgraded request's socket and its place among the node's
  /// open connections (held until this session is gone).
  ws_session(boost::asio::ip::tcp::socket socket,
             boost::beast::http::request<boost::beast::http::string_body> req,
             ws_context& env, std::shared_ptr<void> slot);

  /// Stops counting the peer if closed() never ran.
  ~ws_session() override;

  /// Starts the handshake.
  void run();

  void send_text(std::string text) override;
  void send_frame(std::string meta, std::shared_ptr<const std::string> message,
                  std::size_t image_offset) override;
  void close(std::uint16_t code) override;

private:
  struct outgoing {
    std::shared_ptr<const std::string> data;
    std::size_t offset = 0;
    bool binary = false;
    bool frame_end = false;
    std::optional<std::uint16_t> close_code;
    bool counted = false; ///< a send_text item, bounded by max_queued_texts
  };

  void arm_init_timer();
  void note_text(const std::string& text);
  void cut_off();

  void on_accept(boost::beast::error_code ec);
  void authorise();
  void on_authorised(const ws_admission& decision);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t n);
  void enqueue(outgoing item);
  void do_write();
  void on_write(boost::beast::error_code ec);
  void closed();
  void log_end();
  void reject_http(unsigned status, std::string_view detail);
  void release_live_slot();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::http::request<boost::beast::http::string_body> req_;
  ws_context& env_;
  std::string session_id_;
  std::shared_ptr<actors::client_inbox> inbox_;
  boost::beast::flat_buffer buffer_;
  std::size_t message_size_ = 0;
  bool discarding_ = false;
  std::deque<outgoing> queue_;
  std::size_t queued_texts_ = 0;
  std::size_t queued_text_bytes_ = 0;
  std::shared_ptr<void> slot_;
  /// Fires when a write stays blocked past the write timeout.
  boost::asio::steady_timer write_timer_;
  /// Fires when init_session has not come within the init timeout.
  boost::asio::steady_timer init_timer_;
  bool init_seen_ = false;
  /// Numbers the writes, so a timer that fired for one never cuts the next.
  std::uint64_t write_seq_ = 0;
  bool writing_ = false;
  bool close_sent_ = false;
  bool done_ = false;
  bool counted_peer_ = false; ///< counted in the peers gauge
  /// The user whose live-session slot this connection holds (released when
  /// it closes).
  std::optional<std::int64_t> live_user_;
  ws_access access_;           ///< for the line logged when it ends
  bool access_logged_ = false; ///< its line is written (or it was refused
                               ///< over HTTP: logged as a request)
  std::chrono::steady_clock::time_point started_ =
      std::chrono::steady_clock::now();
};

} // namespace tryon::net
