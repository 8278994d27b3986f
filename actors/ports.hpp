#pragma once

// The seams between the transport (Beast, in net/) and the actors (CAF, in
// actors/). Neither library appears here, so each side compiles without the
// other; only the composition root (apps/) sees both.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace tryon::actors {

// -- client side: a phone's WebSocket ----------------------------------------

/// Implemented by the transport for one client WebSocket; called from actor
/// threads, so implementations post onto their own strand.
class client_peer {
public:
  virtual ~client_peer() = default;

  /// Queues a text message (control answers, errors). Bounded: a peer that
  /// lets too many pile up is closed.
  virtual void send_text(std::string text) = 0;

  /// Writes a processed frame: `meta` as text, then `message` from byte
  /// `image_offset` on as binary. The caller keeps at most one outstanding:
  /// it sets inbound_counters::frame_writing before the call and sends the
  /// next frame only once the transport has cleared it (see there).
  virtual void send_frame(std::string meta,
                          std::shared_ptr<const std::string> message,
                          std::size_t image_offset) = 0;

  /// Sends a close frame with `code` after the queued messages.
  virtual void close(std::uint16_t code) = 0;
};

/// State the transport and the session actor share: counters that keep the
/// actor's mailbox bounded however fast a client sends, and the writer's
/// state, so that a written frame costs an actor message only when the
/// actor waits for it.
///
/// Writer handshake (the actor delivers at most one frame at a time):
///   actor:     frame_writing = true; peer.send_frame(...)
///   transport: frame written -> written_at_ns = now; frame_writing = false;
///              if (notify_written.exchange(false)) inbox.on_frame_written()
///   actor, holding a result while frame_writing is true:
///              notify_written = true; then checks frame_writing again (the
///              write may have ended in between), else waits for the message.
struct inbound_counters {
  /// Binary messages in the actor's mailbox at most; beyond, the transport
  /// keeps only the newest one aside (the overflow) and sheds older ones.
  static constexpr int max_pending = 4;

  /// Transport: a binary message arrived. True: hand it to the actor
  /// (client_inbox::on_binary). False: it was kept as the overflow, replacing
  /// (and shedding) an older overflow frame, because the actor is behind.
  bool offer(std::string& message) {
    std::lock_guard<std::mutex> lock{mu_};
    // While a frame is kept aside, newer ones replace it even if the
    // mailbox has room again: the kept frame must stay newer than every
    // frame in the mailbox, or it would replace a newer one.
    if (pending_ < max_pending && !overflow_) {
      ++pending_;
      return true;
    }
    if (overflow_)
      ++shed;
    overflow_ = std::move(message);
    return false;
  }

  /// Actor: it took a binary message from its mailbox. When that was the
  /// last one, returns the overflow frame (newer than all of them) to take
  /// right after it, so a burst never loses its newest frame.
  std::optional<std::string> taken() {
    std::lock_guard<std::mutex> lock{mu_};
    if (pending_ > 0)
      --pending_;
    if (pending_ > 0 || !overflow_)
      return std::nullopt;
    auto newest = std::move(overflow_);
    overflow_.reset();
    return newest;
  }

  /// Binary messages the transport shed (counted as received and dropped).
  std::atomic<std::uint64_t> shed{0};
  /// A processed frame is being written to the client.
  std::atomic<bool> frame_writing{false};
  /// The actor waits for the end of the current write (on_frame_written).
  std::atomic<bool> notify_written{false};
  /// When the last processed frame was written (steady clock, ns).
  std::atomic<std::int64_t> written_at_ns{0};

private:
  std::mutex mu_;
  int pending_ = 0; ///< handed to the actor, not yet taken
  std::optional<std::string> overflow_;
};

/// Implemented by the actor side for one attached connection; called from
/// transport threads.
class client_inbox {
public:
  virtual ~client_inbox() = default;

  /// A text message from the client.
  virtual void on_text(std::string text) = 0;

  /// A binary message from the client (at most max_frame_size bytes).
  virtual void on_binary(std::string message) = 0;

  /// A binary message over the size limit was discarded unread.
  virtual void on_oversized(std::size_t size) = 0;

  /// The last send_frame finished writing and the actor asked to be told
  /// (inbound_counters::notify_written).
  virtual void on_frame_written() = 0;

  /// The connection is gone (closed by either side or failed).
  virtual void on_closed() = 0;

  /// The counters the transport updates.
  virtual inbound_counters& counters() = 0;
};

/// What the actors need to know of a session when a client attaches.
struct session_info {
  std::string id;
  std::int64_t user_id = 0;
  std::string mode;
  std::string nail_reference_url;
  std::optional<std::int64_t> post_id;
  std::string status;
  std::int64_t expires_at_us = 0; ///< Unix epoch, microseconds
};

/// Implemented by the actor side: attaches a connected, authorised client
/// to its session's actor (spawning it if needed; an earlier connection of
/// the same session is closed with 4009). May block briefly: call it from
/// the blocking pool, not a network thread.
class session_gateway {
public:
  virtual ~session_gateway() = default;

  /// Returns the inbox the transport feeds; null when shutting down.
  virtual std::shared_ptr<client_inbox>
  attach(const session_info& info, std::shared_ptr<client_peer> peer) = 0;
};

// -- AI side: one multiplexed WebSocket to the AI service --------------------

/// Implemented by the transport: a client connection to the AI service.
class ai_channel {
public:
  virtual ~ai_channel() = default;

  /// Connects (or reconnects) asynchronously; events arrive via ai_events.
  virtual void connect() = 0;

  /// Queues a text message; false when not connected or the queue is full.
  virtual bool send_text(std::string text) = 0;

  /// Queues a binary message; false when not connected or the queue is full
  /// (the caller treats the frame as lost).
  virtual bool send_binary(std::shared_ptr<const std::string> message) = 0;

  /// Closes the connection for good.
  virtual void shutdown() = 0;
};

/// Implemented by the actor side: what an AI channel reports.
struct ai_events {
  std::function<void()> on_open;
  std::function<void(std::string)> on_text;
  std::function<void(std::shared_ptr<const std::string>)> on_binary;
  std::function<void(std::string reason)> on_down;
};

/// Creates an AI channel to `url` that reports to `events`.
using ai_channel_factory = std::function<std::shared_ptr<ai_channel>(
    const std::string& url, ai_events events)>;

// -- threads: where scheduled actors run -------------------------------------

/// Implemented by the transport: runs actor jobs on its I/O threads, so that
/// a message between the network and an actor does not wake another thread
/// (actors/io_scheduler.hpp).
class job_runner {
public:
  /// `run` true: run the job now. False: the transport is being torn down
  /// with the job still queued; hand it back without running it.
  using job_fn = void (*)(void* owner, void* job, bool run);

  virtual ~job_runner() = default;

  /// Calls fn(owner, job, true) soon on one of the transport's threads, or
  /// fn(owner, job, false) if the transport is destroyed first. Thread-safe.
  virtual void post(job_fn fn, void* owner, void* job) = 0;
};

} // namespace tryon::actors
