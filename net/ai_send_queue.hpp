#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace tryon::net {

/// Bounds of one ai_send_queue. Frames (binary) and control messages (text:
/// init_session, close_session) have separate bounds, so a backlog of
/// frames never makes the queue refuse a control message.
struct ai_send_queue_limits {
  std::size_t max_frames = 64;                         ///< binary messages
  std::size_t max_frame_bytes = std::size_t{32} << 20; ///< binary bytes
  /// Text messages: one init and one close per session on the channel at
  /// most is what a storm of phones needs; a few hundred bytes each.
  std::size_t max_control = 65536;
  std::size_t max_control_bytes = std::size_t{32} << 20; ///< text bytes
};

/// The bounded outgoing queue of one AI channel: filled from any thread,
/// drained by the channel's single writer on its strand. Tagged with the
/// connection it belongs to, so a writer of an old connection never touches
/// the queue of a new one. No Beast here.
///
/// Two lanes: control messages (text) are written before queued frames
/// (binary), and each lane has its own bound in messages and bytes. A
/// session's init_session still reaches the AI before its frames, since the
/// link queues it before binding the session to the channel.
class ai_send_queue {
public:
  /// One queued WebSocket message.
  struct message {
    std::shared_ptr<const std::string> data; ///< the payload
    bool text = false;                       ///< text, else binary
  };

  /// What push() did.
  struct push_outcome {
    bool accepted = false;        ///< queued
    bool start_writer = false;    ///< no write was running: start one
    std::uint64_t connection = 0; ///< the connection to write on
  };

  explicit ai_send_queue(ai_send_queue_limits limits);

  /// Accepts messages for `connection` from now on (the queue is empty).
  void open(std::uint64_t connection);

  /// Refuses messages from now on and drops the queued ones.
  void close();

  /// Queues `msg` in its lane; refused when closed or that lane is full.
  push_outcome push(message msg);

  /// The message to write next for `connection` (control first); the same
  /// one until pop(). nullopt ends the writer.
  std::optional<message> front(std::uint64_t connection);

  /// The front message was written; true if another one is waiting (the
  /// writer goes on), false if the writer ends.
  bool pop(std::uint64_t connection);

private:
  /// A lane's queue and what it holds (the message being written included).
  struct lane {
    std::deque<message> queue;
    std::size_t count = 0;
    std::size_t bytes = 0;
  };

  void clear();
  /// Moves the next message (control first) into current_ unless one is
  /// there; false when there is none.
  bool take_next();

  const ai_send_queue_limits limits_;
  std::mutex mu_;
  bool open_ = false;
  bool writing_ = false;
  std::uint64_t connection_ = 0;
  lane control_;
  lane frames_;
  /// The message front() handed to the writer, until pop().
  std::optional<message> current_;
};

} // namespace tryon::net
