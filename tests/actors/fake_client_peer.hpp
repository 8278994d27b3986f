#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/ports.hpp"
#include "tests/actors/waitable_log.hpp"

namespace tryon::testing {

/// One call a session actor made on its peer.
struct peer_event {
  enum class kind { text, frame, close };
  kind what = kind::text;
  std::string text;  ///< send_text's text, or send_frame's meta
  std::string image; ///< send_frame's bytes from image_offset on
  std::uint16_t code = 0;
};

/// A client_peer that records what the session sends (from actor threads)
/// and plays the transport's side of the writer handshake (ports.hpp).
class fake_client_peer : public actors::client_peer {
public:
  void send_text(std::string text) override {
    log.push({peer_event::kind::text, std::move(text), {}, 0});
  }

  void send_frame(std::string meta, std::shared_ptr<const std::string> message,
                  std::size_t image_offset) override {
    log.push({peer_event::kind::frame, std::move(meta),
              message->substr(image_offset), 0});
    if (auto_complete)
      complete_write();
  }

  void close(std::uint16_t code) override {
    log.push({peer_event::kind::close, {}, {}, code});
  }

  /// The counters the session shares with this connection, and what tells
  /// the session that a write ended (its inbox's on_frame_written).
  void set_writer(std::shared_ptr<actors::inbound_counters> counters,
                  std::function<void()> on_written) {
    std::lock_guard<std::mutex> lock{mu_};
    counters_ = std::move(counters);
    on_written_ = std::move(on_written);
  }

  /// Ends the current frame write as the transport does: stamps it, frees
  /// the writer and tells the session if it asked to be told.
  void complete_write() {
    std::shared_ptr<actors::inbound_counters> c;
    std::function<void()> notify;
    {
      std::lock_guard<std::mutex> lock{mu_};
      c = counters_;
      notify = on_written_;
    }
    if (!c)
      return;
    c->written_at_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now().time_since_epoch())
                           .count();
    c->frame_writing = false;
    if (c->notify_written.exchange(false) && notify)
      notify();
  }

  /// Waits until `pred(events)` holds; false on timeout.
  template <class Pred>
  bool wait_for(Pred pred, std::chrono::milliseconds timeout = default_wait) {
    return log.wait_for(std::move(pred), timeout);
  }

  /// Waits for `n` text messages of JSON `type`; false on timeout.
  bool wait_texts(const std::string& type, std::size_t n = 1,
                  std::chrono::milliseconds timeout = default_wait) {
    return wait_for(
        [&](const std::vector<peer_event>& v) {
          return count_texts(v, type) >= n;
        },
        timeout);
  }

  /// Waits for `n` processed frames; false on timeout.
  bool wait_frames(std::size_t n,
                   std::chrono::milliseconds timeout = default_wait) {
    return wait_for(
        [n](const std::vector<peer_event>& v) {
          std::size_t k = 0;
          for (const auto& e : v)
            k += e.what == peer_event::kind::frame;
          return k >= n;
        },
        timeout);
  }

  /// Waits for a close; false on timeout.
  bool wait_close(std::chrono::milliseconds timeout = default_wait) {
    return wait_for(
        [](const std::vector<peer_event>& v) {
          for (const auto& e : v)
            if (e.what == peer_event::kind::close)
              return true;
          return false;
        },
        timeout);
  }

  /// The text messages of JSON `type` so far, parsed.
  std::vector<nlohmann::json> texts(const std::string& type) const {
    std::vector<nlohmann::json> out;
    for (const auto& e : log.snapshot())
      if (e.what == peer_event::kind::text) {
        auto j = nlohmann::json::parse(e.text);
        if (j.value("type", "") == type)
          out.push_back(std::move(j));
      }
    return out;
  }

  /// The processed frames so far: meta parsed, image bytes.
  std::vector<std::pair<nlohmann::json, std::string>> frames() const {
    std::vector<std::pair<nlohmann::json, std::string>> out;
    for (const auto& e : log.snapshot())
      if (e.what == peer_event::kind::frame)
        out.emplace_back(nlohmann::json::parse(e.text), e.image);
    return out;
  }

  /// The close codes so far.
  std::vector<std::uint16_t> closes() const {
    std::vector<std::uint16_t> out;
    for (const auto& e : log.snapshot())
      if (e.what == peer_event::kind::close)
        out.push_back(e.code);
    return out;
  }

  /// The error codes received so far, in order.
  std::vector<std::string> errors() const {
    std::vector<std::string> out;
    for (const auto& j : texts("error"))
      out.push_back(j.at("code").get<std::string>());
    return out;
  }

  waitable_log<peer_event> log;
  /// Writes end as soon as they start (else: complete_write()).
  std::atomic<bool> auto_complete{true};

private:
  static std::size_t count_texts(const std::vector<peer_event>& v,
                                 const std::string& type) {
    std::size_t k = 0;
    for (const auto& e : v)
      if (e.what == peer_event::kind::text &&
          nlohmann::json::parse(e.text).value("type", "") == type)
        ++k;
    return k;
  }

  std::mutex mu_;
  std::shared_ptr<actors::inbound_counters> counters_;
  std::function<void()> on_written_;
};

} // namespace tryon::testing
