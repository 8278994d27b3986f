#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace tryon::metrics {

/// AI link figures the stats supervisor copies into gauges.
struct ai_link_figures {
  std::int64_t connections_up = 0;    ///< channels with an open WebSocket
  std::int64_t connections_total = 0; ///< channels in the pool
  std::int64_t sessions = 0;          ///< sessions multiplexed on the link
  std::int64_t in_flight = 0;         ///< frames sent and not yet answered
};

/// The node's operational figures: thread-safe counters, gauges and latency
/// distributions (prometheus-cpp), exported as Prometheus text (/metrics)
/// and as JSON (/api/try-on/stats/). Session actors and the WebSocket
/// transport call it from any thread; nothing here blocks for long.
/// Metric names are listed in docs/OPERATIONS.md.
class node_metrics {
public:
  /// Registers every metric; uptime counts from here.
  node_metrics();
  ~node_metrics();
  node_metrics(const node_metrics&) = delete;
  node_metrics& operator=(const node_metrics&) = delete;

  // -- frames (session actors) ------------------------------------------------

  /// Valid frames received from clients (shed ones included).
  void add_received(std::uint64_t n);
  /// Frames refused with an error (bad header, too large, not initialised).
  void add_rejected(std::uint64_t n);
  /// Frames sent to the AI service.
  void add_forwarded(std::uint64_t n);
  /// Processed frames written to clients.
  void add_processed(std::uint64_t n);
  /// Accepted frames that will never be delivered (stale, failed, shed).
  void add_dropped(std::uint64_t n);
  /// An `error` message sent to a client, by its code.
  void add_error(const std::string& code);
  /// AI round trip of one frame, milliseconds.
  void observe_processing(double ms);
  /// Client frame received -> processed frame written, milliseconds.
  void observe_end_to_end(double ms);

  // -- sessions and transport -------------------------------------------------

  /// A session actor started (+1) or stopped (-1).
  void session_actors(int delta);
  /// A client WebSocket attached to its session (+1) or went away (-1).
  void ws_peers(int delta);
  /// A WebSocket was refused at connect time with `close_code`.
  void ws_refused(std::uint16_t close_code);

  /// A WebSocket connection ended with `close_code` (sent or received;
  /// 1006 when the connection was lost without a close frame).
  void ws_closed(std::uint16_t close_code);

  // -- HTTP (the access log) -------------------------------------------------

  /// One HTTP request answered: its route (a fixed name, never the raw
  /// path), its status and how long it took from header to last byte.
  void observe_http(const std::string& route, unsigned status, double seconds);

  // -- capture and expiry -----------------------------------------------------

  /// A capture entered the queue.
  void capture_queued();
  /// A queued capture finished, saved or failed.
  void capture_finished(bool saved);
  /// A capture was refused because the queue was full.
  void capture_rejected();
  /// Sessions the expiry sweep marked completed.
  void sessions_expired(std::uint64_t n);

  // -- periodic figures (stats supervisor) ------------------------------------

  /// The AI link's connection and in-flight figures.
  void set_ai_link(const ai_link_figures& f);
  /// Actors running in this node's actor system.
  void set_actors_running(std::int64_t n);

  /// Labels of tryon_build_info.
  void set_build_info(std::string version, std::string commit);

  // -- export -----------------------------------------------------------------

  /// Every metric in the Prometheus text format (process gauges refreshed).
  std::string prometheus_text();
  /// This node's figures as JSON (see docs/OPERATIONS.md for the fields).
  nlohmann::json snapshot();

  struct impl;

private:
  std::unique_ptr<impl> impl_;
};

} // namespace tryon::metrics
