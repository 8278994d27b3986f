#include "bench/harness/stream_hint.hpp"

#include "protocol/json_text.hpp"

#include <algorithm>

namespace tryon::bench {

std::optional<stream_hint> parse_stream_hint(const nlohmann::json& message) {
  auto positive = [&](const char* key) -> std::optional<int> {
    auto v = protocol::find_int64(message, key);
    if (!v || *v <= 0 || *v > 1000000)
      return std::nullopt;
    return static_cast<int>(*v);
  };
  auto fps = positive("fps");
  auto quality = positive("jpeg_quality");
  auto width = positive("max_width");
  if (!fps || !quality || !width)
    return std::nullopt;
  stream_hint h;
  h.fps = *fps;
  h.jpeg_quality = *quality;
  h.max_width = *width;
  if (const std::string* reason = protocol::find_string(message, "reason"))
    h.reason = *reason;
  h.timestamp = protocol::find_int64(message, "timestamp").value_or(0);
  return h;
}

nlohmann::json to_json(const stream_hint& h) {
  return {{"fps", h.fps},
          {"jpeg_quality", h.jpeg_quality},
          {"max_width", h.max_width},
          {"reason", h.reason},
          {"timestamp", h.timestamp}};
}

stream_settings follow_hint(const stream_hint& h, double asked_fps) {
  stream_settings s;
  // Numbers outside the ranges of docs/stream_hints.md are clamped to them.
  s.fps = std::min(asked_fps, static_cast<double>(std::clamp(h.fps, 1, 25)));
  s.frames.quality =
      std::min(std::clamp(h.jpeg_quality, 30, 90), frame_quality);
  s.frames.max_width = std::max(h.max_width, 2);
  return s;
}

} // namespace tryon::bench
