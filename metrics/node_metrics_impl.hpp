#pragma once

// Internal to the metrics library: the prometheus-cpp objects behind
// node_metrics (shared by node_metrics.cpp and metrics_json.cpp).

#include <chrono>
#include <memory>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>

#include "metrics/node_metrics.hpp"

namespace tryon::metrics {

/// The registry and direct references to every time series.
struct node_metrics::impl {
  impl();

  /// Refreshes uptime.
  void refresh_process();

  std::shared_ptr<prometheus::Registry> registry =
      std::make_shared<prometheus::Registry>();
  std::chrono::steady_clock::time_point started =
      std::chrono::steady_clock::now();

  prometheus::Family<prometheus::Counter>& frames;
  prometheus::Counter& received;
  prometheus::Counter& rejected;
  prometheus::Counter& forwarded;
  prometheus::Counter& processed;
  prometheus::Counter& dropped;
  prometheus::Family<prometheus::Counter>& errors;
  prometheus::Histogram& processing_hist;
  prometheus::Histogram& end_to_end_hist;
  prometheus::Summary& processing;
  prometheus::Summary& end_to_end;

  prometheus::Gauge& session_actors;
  prometheus::Gauge& actors_running;
  prometheus::Gauge& ws_peers;
  prometheus::Family<prometheus::Counter>& ws_refused;
  prometheus::Family<prometheus::Counter>& ws_closed;
  prometheus::Family<prometheus::Counter>& http_requests;
  prometheus::Family<prometheus::Histogram>& http_duration;
  prometheus::Gauge& ai_up;
  prometheus::Gauge& ai_total;
  prometheus::Gauge& ai_sessions;
  prometheus::Gauge& ai_in_flight;

  prometheus::Gauge& capture_depth;
  prometheus::Counter& captures_saved;
  prometheus::Counter& capture_failures;
  prometheus::Counter& captures_rejected;
  prometheus::Counter& expired;

  prometheus::Gauge& uptime;

  std::string version = "unknown";
  std::string commit = "unknown";
};

} // namespace tryon::metrics
