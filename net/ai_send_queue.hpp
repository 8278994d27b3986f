#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace tryon::net {

/// The bounded outgoing queue of one AI channel: filled from any thread,
/// drained by the channel's single writer on its strand. Tagged with the
/// connection it belongs to, so a writer of an old connection never touches
/// the queue of a new one. No Beast here.
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

  /// At most `max_messages` binary messages (text may use as many again on
  /// top, so control messages pass while frames back up) and `max_bytes` of
  /// binary payload.
  ai_send_queue(std::size_t max_messages, std::size_t max_bytes);

  /// Accepts messages for `connection` from now on (the queue is empty).
  void open(std::uint64_t connection);

  /// Refuses messages from now on and drops the queued ones.
  void close();

  /// Queues `msg`; refused when closed or full.
  push_outcome push(message msg);

  /// The message to write next for `connection`; nullopt ends the writer.
  std::optional<message> front(std::uint64_t connection);

  /// The front message was written; true if another one is waiting (the
  /// writer goes on), false if the writer ends.
  bool pop(std::uint64_t connection);

private:
  const std::size_t max_messages_;
  const std::size_t max_bytes_;
  std::mutex mu_;
  bool open_ = false;
  bool writing_ = false;
  std::uint64_t connection_ = 0;
  std::deque<message> queue_;
  std::size_t binary_count_ = 0;
  std::size_t binary_bytes_ = 0;
};

} // namespace tryon::net
