#pragma once

#include "bench/harness/frame_generator.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace tryon::bench {

/// A `stream_hint` from the server (PROTOCOL.md §3, issue 18): what a phone
/// that opted in with `"capabilities":["stream_hints"]` should send at
/// most. A new hint replaces the previous one entirely.
struct stream_hint {
  int fps = 0;                ///< frames per second, at most (1..25)
  int jpeg_quality = 0;       ///< encoder quality (30..90 on the JPEG scale)
  int max_width = 0;          ///< long side in pixels, at most (never scale up)
  std::string reason;         ///< "ai", "uplink" or "clear" (informational)
  std::int64_t timestamp = 0; ///< server ms since the epoch (0: absent)
};

/// The hint in a parsed `stream_hint` message; nullopt when fps,
/// jpeg_quality or max_width is missing or not a positive integer (an
/// absent reason is empty, an absent timestamp 0).
std::optional<stream_hint> parse_stream_hint(const nlohmann::json& message);

/// The hint as JSON (the report).
nlohmann::json to_json(const stream_hint& h);

/// What a phone streams while following a hint.
struct stream_settings {
  double fps = 0;   ///< the pacing rate
  frame_key frames; ///< quality and max width of the frames sent
};

/// How a bench phone follows `h` (docs/stream_hints.md, "What a phone must
/// do"): it never sends more than it would without hints. The hint's
/// numbers are first clamped to their ranges (fps 1..25, quality 30..90);
/// fps = min(asked_fps, hint fps), quality = min(hint quality,
/// frame_quality) (the frames' own quality is the phone's best), max width
/// as hinted (the frame library never scales up).
stream_settings follow_hint(const stream_hint& h, double asked_fps);

} // namespace tryon::bench
