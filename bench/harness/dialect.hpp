#pragma once

#include "bench/harness/frame_generator.hpp"
#include "bench/harness/stream_hint.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tryon::bench {

/// Shared immutable bytes (one message part).
using shared_bytes = std::shared_ptr<const std::string>;

/// A binary message in two parts (1024-byte header block + image), sent
/// without concatenating them.
struct frame_message {
  shared_bytes head; ///< the 1024-byte NUL-padded JSON header
  shared_bytes body; ///< the JPEG, shared by every session
  /// Total size on the wire (payload only).
  std::size_t size() const { return head->size() + body->size(); }
};

/// What the harness makes of one message from its peer.
struct peer_event {
  /// The kinds the harness counts.
  enum class kind {
    ready,     ///< the session may stream (session_ready / initialized)
    processed, ///< a processed frame arrived (its image, not its metadata)
    meta,      ///< processed_frame metadata; the image follows
    error,     ///< an error for the session or one frame
    pong,      ///< answer to a ping
    hint,      ///< a stream_hint (phones that opted in)
    other,     ///< anything else (counted, ignored)
  };
  /// Which kind.
  kind what = kind::other;
  /// processed / error: the frame's sequence (-1 if unknown).
  std::int64_t sequence = -1;
  /// processed: frames the server dropped since the previous one.
  std::int64_t dropped = 0;
  /// processed: the AI service's own time for the frame (ms).
  double processing_ms = 0;
  /// processed: the AI service's hand-detection confidence.
  double confidence = 0;
  /// error: the wire code (e.g. "FRAME_PROCESSING_FAILED").
  std::string code;
  /// pong: the echoed timestamp (ms), if numeric.
  std::optional<std::int64_t> timestamp;
  /// hint: what the server suggests.
  std::optional<stream_hint> hint;
};

/// How one session talks to its peer: tryon-server (PROTOCOL.md §3) or the
/// AI service directly (§4). Stateful: one instance per session.
class dialect {
public:
  virtual ~dialect() = default;

  /// The text message that opens the session.
  virtual std::string init_message() const = 0;

  /// The binary message carrying one frame.
  virtual frame_message encode_frame(std::int64_t sequence,
                                     std::int64_t timestamp_ms,
                                     const frame_image& image) const = 0;

  /// Interprets one message from the peer.
  virtual peer_event on_message(bool binary, std::string_view data) = 0;

  /// A ping text message, if the peer speaks ping/pong.
  virtual std::optional<std::string> ping_message(std::int64_t ts) const = 0;

  /// The text to send before closing, if any.
  virtual std::optional<std::string> close_message() const = 0;
};

/// The client side of PROTOCOL.md §3 (a phone talking to tryon-server).
/// With `stream_hints` its init_session says
/// `"capabilities":["stream_hints"]`.
std::unique_ptr<dialect> make_server_dialect(bool stream_hints = false);

/// The server side of PROTOCOL.md §4 for one session (`session_id`),
/// talking to the AI service straight; `design_url` is the nail reference.
std::unique_ptr<dialect> make_ai_dialect(std::string session_id,
                                         std::string design_url);

} // namespace tryon::bench
