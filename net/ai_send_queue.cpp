#include "net/ai_send_queue.hpp"

#include <utility>

namespace tryon::net {

ai_send_queue::ai_send_queue(ai_send_queue_limits limits) : limits_(limits) {}

void ai_send_queue::clear() {
  writing_ = false;
  control_ = {};
  frames_ = {};
  current_.reset();
}

void ai_send_queue::open(std::uint64_t connection) {
  std::lock_guard<std::mutex> guard{mu_};
  clear();
  open_ = true;
  connection_ = connection;
}

void ai_send_queue::close() {
  std::lock_guard<std::mutex> guard{mu_};
  open_ = false;
  clear();
}

ai_send_queue::push_outcome ai_send_queue::push(message msg) {
  std::lock_guard<std::mutex> guard{mu_};
  push_outcome out;
  if (!open_ || !msg.data)
    return out;
  auto& l = msg.text ? control_ : frames_;
  const auto max_count = msg.text ? limits_.max_control : limits_.max_frames;
  const auto max_bytes =
      msg.text ? limits_.max_control_bytes : limits_.max_frame_bytes;
  if (l.count >= max_count || l.bytes + msg.data->size() > max_bytes)
    return out;
  ++l.count;
  l.bytes += msg.data->size();
  l.queue.push_back(std::move(msg));
  out.accepted = true;
  out.start_writer = !writing_;
  out.connection = connection_;
  writing_ = true;
  return out;
}

bool ai_send_queue::take_next() {
  if (current_)
    return true;
  auto& l = !control_.queue.empty() ? control_ : frames_;
  if (l.queue.empty())
    return false;
  current_ = std::move(l.queue.front());
  l.queue.pop_front();
  return true;
}

std::optional<ai_send_queue::message>
ai_send_queue::front(std::uint64_t connection) {
  std::lock_guard<std::mutex> guard{mu_};
  if (connection != connection_ || !open_)
    return std::nullopt;
  if (!take_next()) {
    writing_ = false;
    return std::nullopt;
  }
  return current_;
}

bool ai_send_queue::pop(std::uint64_t connection) {
  std::lock_guard<std::mutex> guard{mu_};
  if (connection != connection_ || !open_)
    return false;
  if (take_next()) {
    auto& l = current_->text ? control_ : frames_;
    --l.count;
    l.bytes -= current_->data->size();
    current_.reset();
  }
  writing_ = !control_.queue.empty() || !frames_.queue.empty();
  return writing_;
}

} // namespace tryon::net
