#include "net/ai_send_queue.hpp"

#include <utility>

namespace tryon::net {

ai_send_queue::ai_send_queue(std::size_t max_messages, std::size_t max_bytes)
  : max_messages_(max_messages), max_bytes_(max_bytes) {}

void ai_send_queue::open(std::uint64_t connection) {
  std::lock_guard<std::mutex> guard{mu_};
  open_ = true;
  writing_ = false;
  connection_ = connection;
  queue_.clear();
  binary_count_ = 0;
  binary_bytes_ = 0;
}

void ai_send_queue::close() {
  std::lock_guard<std::mutex> guard{mu_};
  open_ = false;
  writing_ = false;
  queue_.clear();
  binary_count_ = 0;
  binary_bytes_ = 0;
}

ai_send_queue::push_outcome ai_send_queue::push(message msg) {
  std::lock_guard<std::mutex> guard{mu_};
  push_outcome out;
  if (!open_ || !msg.data)
    return out;
  if (msg.text) {
    if (queue_.size() >= 2 * max_messages_)
      return out;
  } else {
    if (binary_count_ >= max_messages_ ||
        binary_bytes_ + msg.data->size() > max_bytes_)
      return out;
    ++binary_count_;
    binary_bytes_ += msg.data->size();
  }
  queue_.push_back(std::move(msg));
  out.accepted = true;
  out.start_writer = !writing_;
  out.connection = connection_;
  writing_ = true;
  return out;
}

std::optional<ai_send_queue::message>
ai_send_queue::front(std::uint64_t connection) {
  std::lock_guard<std::mutex> guard{mu_};
  if (connection != connection_ || !open_)
    return std::nullopt;
  if (queue_.empty()) {
    writing_ = false;
    return std::nullopt;
  }
  return queue_.front();
}

bool ai_send_queue::pop(std::uint64_t connection) {
  std::lock_guard<std::mutex> guard{mu_};
  if (connection != connection_ || !open_ || queue_.empty())
    return false;
  if (!queue_.front().text) {
    --binary_count_;
    binary_bytes_ -= queue_.front().data->size();
  }
  queue_.pop_front();
  writing_ = !queue_.empty();
  return writing_;
}

} // namespace tryon::net
