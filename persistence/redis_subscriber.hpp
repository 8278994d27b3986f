#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tryon::persistence {

/// Listens to one Redis pub/sub channel on a thread of its own (with its own
/// connection, since a subscribed connection can do nothing else) and calls
/// `on_message(payload)` there for each message. Reconnects with backoff
/// when Redis goes away; messages published meanwhile are lost, as with any
/// Redis subscriber, so callers use it to hasten what they would also learn
/// another way. Destruction stops the thread promptly.
class redis_subscriber {
public:
  using handler = std::function<void(const std::string&)>;

  /// Returns once the first subscription attempt ended (subscribed, or
  /// failed and retrying), so that messages published after a successful
  /// start are delivered.
  redis_subscriber(std::string url, std::string channel, handler on_message,
                   std::chrono::milliseconds timeout = std::chrono::seconds(1));
  ~redis_subscriber();
  redis_subscriber(const redis_subscriber&) = delete;
  redis_subscriber& operator=(const redis_subscriber&) = delete;

  /// Whether the subscription is live right now.
  bool subscribed() const;

private:
  void run();
  /// One connection's life: subscribe, then deliver until it breaks.
  void listen_once();

  std::string url_;
  std::string channel_;
  handler on_message_;
  std::chrono::milliseconds timeout_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool started_ = false; ///< the first attempt ended
  bool subscribed_ = false;
  bool down_logged_ = false;
  int fd_ = -1; ///< the live connection's socket, shut down to stop
  std::thread thread_;
};

} // namespace tryon::persistence
