#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace tryon::ai {

/// tryon-ai's own figures, served at GET /metrics (Prometheus text):
/// frames by result, render latency, errors by code, open sessions and
/// connections, build and process figures. Thread-safe (workers count).
class ai_metrics {
public:
  ai_metrics();
  ~ai_metrics();
  ai_metrics(const ai_metrics&) = delete;
  ai_metrics& operator=(const ai_metrics&) = delete;

  /// A frame came back from the pipeline: rendered (`ok`) or failed.
  void frame_done(bool ok, double seconds);
  /// A frame refused before rendering (bad header, unknown session).
  void frame_rejected();
  /// An error message sent to the server, by its protocol code.
  void error(std::string_view code);
  /// A server connection opened (+1) or closed (-1).
  void connections(int delta);
  /// Frames taken on (waiting or rendering, all connections) went up or
  /// down by `delta`; the peak is kept (AI credits keep it at the capacity
  /// advertised).
  void frames_held(std::ptrdiff_t delta);
  /// The rendering workers (for utilisation: render seconds / workers).
  void workers(int n);

  /// Everything in the Prometheus text format; `sessions` is the number of
  /// sessions open right now.
  std::string prometheus_text(std::size_t sessions);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tryon::ai
