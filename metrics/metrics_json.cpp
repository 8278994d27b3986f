// node_metrics::snapshot(): the figures as JSON for /api/try-on/stats/.

#include <chrono>

#include "metrics/node_metrics.hpp"
#include "metrics/node_metrics_impl.hpp"
#include "metrics/process_stats.hpp"

namespace tryon::metrics {

namespace pm = prometheus;
using nlohmann::json;

namespace {

std::uint64_t whole(double v) {
  return static_cast<std::uint64_t>(v + 0.5);
}

std::uint64_t value(const pm::Counter& c) {
  return whole(c.Value());
}

std::int64_t value(const pm::Gauge& g) {
  return static_cast<std::int64_t>(g.Value());
}

/// {label value: count} of a labelled counter family.
json by_label(pm::Family<pm::Counter>& family, std::uint64_t* total) {
  json out = json::object();
  for (const auto& mf : family.Collect())
    for (const auto& m : mf.metric)
      for (const auto& l : m.label) {
        out[l.value] = whole(m.counter.value);
        if (total)
          *total += whole(m.counter.value);
      }
  return out;
}

/// Count, mean and quantiles (ms) of a summary over its window.
json latency(pm::Summary& s) {
  auto m = s.Collect();
  json out{{"window_count", m.summary.sample_count},
           {"window_mean", m.summary.sample_count
                               ? m.summary.sample_sum * 1000 /
                                     static_cast<double>(m.summary.sample_count)
                               : 0.0}};
  for (const auto& q : m.summary.quantile) {
    auto key = q.quantile == 0.5 ? "p50" : q.quantile == 0.95 ? "p95" : "p99";
    // An empty window reports NaN; JSON has no NaN.
    out[key] = q.value == q.value ? q.value * 1000 : 0.0;
  }
  return out;
}

/// All-time sample count of a histogram.
std::uint64_t samples(pm::Histogram& h) {
  return h.Collect().histogram.sample_count;
}

} // namespace

json node_metrics::snapshot() {
  auto& m = *impl_;
  m.refresh_process();
  const auto proc = read_process();
  std::uint64_t error_total = 0;
  auto by_code = by_label(m.errors, &error_total);
  auto processing = latency(m.processing);
  processing["count"] = samples(m.processing_hist);
  auto end_to_end = latency(m.end_to_end);
  end_to_end["count"] = samples(m.end_to_end_hist);
  return {
      {"frames",
       {{"received", value(m.received)},
        {"rejected", value(m.rejected)},
        {"forwarded", value(m.forwarded)},
        {"processed", value(m.processed)},
        {"dropped", value(m.dropped)}}},
      {"errors", {{"total", error_total}, {"by_code", by_code}}},
      {"latency_ms", {{"processing", processing}, {"end_to_end", end_to_end}}},
      {"session_actors", value(m.session_actors)},
      {"actors_running", value(m.actors_running)},
      {"websocket",
       {{"peers", value(m.ws_peers)},
        {"refused_by_code", by_label(m.ws_refused, nullptr)}}},
      {"capture",
       {{"queue_depth", value(m.capture_depth)},
        {"saved", value(m.captures_saved)},
        {"failed", value(m.capture_failures)},
        {"rejected_busy", value(m.captures_rejected)}}},
      {"expiry", {{"sessions_expired", value(m.expired)}}},
      {"process",
       {{"rss_bytes", proc.resident_bytes},
        {"cpu_seconds", proc.cpu_seconds},
        {"open_fds", proc.open_fds},
        {"max_fds", proc.max_fds},
        {"uptime_s", m.uptime.Value()},
        {"start_time_s", proc.start_time_s}}},
      {"build", {{"version", m.version}, {"commit", m.commit}}},
  };
}

} // namespace tryon::metrics
