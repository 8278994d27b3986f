#include "protocol/server_message.hpp"

#include "protocol/json_text.hpp"

#include <chrono>

namespace tryon::protocol {

namespace {

// Insertion order keeps "type" first, as the original Python dicts did.
using ordered = nlohmann::ordered_json;

} // namespace

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
      .count();
}

std::string session_ready(std::string_view session_id,
                          std::string_view nail_reference_url,
                          std::string_view mode, const stream_config& config,
                          std::int64_t ts_ms) {
  ordered msg;
  msg["type"] = "session_ready";
  msg["session_id"] = session_id;
  msg["nail_reference_url"] = nail_reference_url;
  msg["mode"] = mode;
  ordered& cfg = msg["config"];
  cfg["target_fps"] = config.target_fps;
  cfg["max_resolution"] = config.max_resolution;
  cfg["supported_formats"] = config.supported_formats;
  msg["timestamp"] = ts_ms;
  return dump_json(msg);
}

std::string processed_frame(std::int64_t sequence, std::int64_t ts_ms,
                            double processing_time_ms, double confidence,
                            std::string_view format,
                            std::int64_t dropped_frames) {
  ordered msg;
  msg["type"] = "processed_frame";
  msg["sequence"] = sequence;
  msg["timestamp"] = ts_ms;
  msg["processing_time_ms"] = processing_time_ms;
  msg["confidence"] = confidence;
  msg["format"] = format;
  msg["dropped_frames"] = dropped_frames;
  return dump_json(msg);
}

std::string error_message(error_code code, std::string_view message,
                          std::int64_t ts_ms) {
  ordered msg;
  msg["type"] = "error";
  msg["code"] = to_string(code);
  msg["message"] = message;
  msg["recoverable"] = is_recoverable(code);
  msg["timestamp"] = ts_ms;
  return dump_json(msg);
}

std::string pong(const nlohmann::json& timestamp) {
  // Spliced as text: the value is a plain json and the envelope is ordered.
  return R"({"type":"pong","timestamp":)" + dump_json(timestamp) + "}";
}

std::string stream_hint(const stream_suggestion& s, std::string_view reason,
                        std::int64_t ts_ms) {
  ordered msg;
  msg["type"] = "stream_hint";
  msg["fps"] = s.fps;
  msg["jpeg_quality"] = s.jpeg_quality;
  msg["max_width"] = s.max_width;
  msg["reason"] = reason;
  msg["timestamp"] = ts_ms;
  return dump_json(msg);
}

std::string frame_saved(std::int64_t try_on_id, std::int64_t ts_ms) {
  ordered msg;
  msg["type"] = "frame_saved";
  msg["try_on_id"] = try_on_id;
  msg["timestamp"] = ts_ms;
  return dump_json(msg);
}

} // namespace tryon::protocol
