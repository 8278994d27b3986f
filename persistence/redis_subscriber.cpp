#include "persistence/redis_subscriber.hpp"

#include <sys/socket.h>

#include <algorithm>

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include "persistence/redis_client.hpp"

namespace tryon::persistence {

namespace {

constexpr std::chrono::milliseconds first_backoff{100};
// At most a second between attempts: back within a second of Redis.
constexpr std::chrono::milliseconds max_backoff{1000};

/// The payload of a pub/sub "message" push; false for anything else.
bool message_payload(const redisReply* r, std::string& payload) {
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 3)
    return false;
  if (reply_text(r->element[0]) != "message")
    return false;
  payload = reply_text(r->element[2]);
  return true;
}

} // namespace

redis_subscriber::redis_subscriber(std::string url, std::string channel,
                                   handler on_message,
                                   std::chrono::milliseconds timeout)
  : url_(std::move(url)), channel_(std::move(channel)),
    on_message_(std::move(on_message)), timeout_(timeout) {
  thread_ = std::thread([this] { run(); });
  std::unique_lock<std::mutex> lock{mu_};
  cv_.wait(lock, [this] { return started_; });
}

redis_subscriber::~redis_subscriber() {
  {
    std::lock_guard<std::mutex> lock{mu_};
    stop_ = true;
    // Wakes the blocked read: the thread then sees stop_.
    if (fd_ >= 0)
      ::shutdown(fd_, SHUT_RDWR);
  }
  cv_.notify_all();
  thread_.join();
}

bool redis_subscriber::subscribed() const {
  std::lock_guard<std::mutex> lock{mu_};
  return subscribed_;
}

void redis_subscriber::run() {
  auto backoff = first_backoff;
  for (;;) {
    listen_once();
    std::unique_lock<std::mutex> lock{mu_};
    if (subscribed_)
      backoff = first_backoff; // it worked for a while: retry soon
    subscribed_ = false;
    started_ = true;
    cv_.notify_all();
    if (cv_.wait_for(lock, backoff, [this] { return stop_; }))
      return;
    backoff = std::min(backoff * 2, max_backoff);
  }
}

void redis_subscriber::listen_once() {
  redis_context_ptr ctx;
  try {
    ctx = redis_connect(url_, timeout_);
    redis_command(*ctx, {"SUBSCRIBE", channel_});
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock{mu_};
    if (!down_logged_ && !stop_)
      spdlog::warn("redis: cannot subscribe to {}: {} (retrying)", channel_,
                   e.what());
    down_logged_ = true;
    return;
  }
  // No read timeout from here: a subscriber waits as long as it takes.
  timeval forever{0, 0};
  redisSetTimeout(ctx.get(), forever);
  {
    std::lock_guard<std::mutex> lock{mu_};
    if (stop_)
      return;
    fd_ = ctx->fd;
    subscribed_ = true;
    started_ = true;
    if (down_logged_)
      spdlog::info("redis: subscribed to {} again", channel_);
    down_logged_ = false;
  }
  cv_.notify_all();
  for (;;) {
    void* raw = nullptr;
    if (redisGetReply(ctx.get(), &raw) != REDIS_OK)
      break;
    redis_reply_ptr reply{static_cast<redisReply*>(raw)};
    std::string payload;
    if (message_payload(reply.get(), payload))
      on_message_(payload);
  }
  std::lock_guard<std::mutex> lock{mu_};
  fd_ = -1; // before the context (and its socket) goes
  if (!stop_ && !down_logged_) {
    spdlog::warn("redis: subscription to {} lost: {} (retrying)", channel_,
                 ctx->errstr);
    down_logged_ = true;
  }
}

} // namespace tryon::persistence
