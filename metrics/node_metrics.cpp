#include "metrics/node_metrics.hpp"

#include <sstream>

#include <prometheus/text_serializer.h>

#include "metrics/node_metrics_impl.hpp"
#include "metrics/process_stats.hpp"

namespace tryon::metrics {

namespace pm = prometheus;

namespace {

const pm::Histogram::BucketBoundaries latency_buckets{
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

const pm::Histogram::BucketBoundaries http_buckets{
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

const pm::Summary::Quantiles latency_quantiles{
    {0.5, 0.05}, {0.95, 0.01}, {0.99, 0.001}};

pm::Counter& counter(pm::Registry& r, const char* name, const char* help) {
  return pm::BuildCounter().Name(name).Help(help).Register(r).Add({});
}

pm::Gauge& gauge(pm::Registry& r, const char* name, const char* help) {
  return pm::BuildGauge().Name(name).Help(help).Register(r).Add({});
}

pm::Histogram& histogram(pm::Registry& r, const char* name, const char* help) {
  return pm::BuildHistogram().Name(name).Help(help).Register(r).Add(
      {}, latency_buckets);
}

pm::Summary& summary(pm::Registry& r, const char* name, const char* help) {
  return pm::BuildSummary().Name(name).Help(help).Register(r).Add(
      {}, latency_quantiles, std::chrono::seconds{60}, 5);
}

} // namespace

node_metrics::impl::impl()
  : frames(pm::BuildCounter()
               .Name("tryon_frames_total")
               .Help("Client frames by stage")
               .Register(*registry)),
    received(frames.Add({{"stage", "received"}})),
    rejected(frames.Add({{"stage", "rejected"}})),
    forwarded(frames.Add({{"stage", "forwarded"}})),
    processed(frames.Add({{"stage", "processed"}})),
    dropped(frames.Add({{"stage", "dropped"}})),
    errors(pm::BuildCounter()
               .Name("tryon_client_errors_total")
               .Help("Error messages sent to clients, by code")
               .Register(*registry)),
    processing_hist(histogram(*registry, "tryon_processing_latency_seconds",
                              "AI round trip per frame")),
    end_to_end_hist(histogram(*registry, "tryon_end_to_end_latency_seconds",
                              "Client frame received to processed frame "
                              "written")),
    processing(summary(*registry, "tryon_processing_latency_window_seconds",
                       "AI round trip, quantiles over the last 60 s")),
    end_to_end(summary(*registry, "tryon_end_to_end_latency_window_seconds",
                       "End-to-end latency, quantiles over the last 60 s")),
    session_actors(
        gauge(*registry, "tryon_session_actors", "Live session actors")),
    actors_running(gauge(*registry, "tryon_actors_running",
                         "Actors running in the actor system")),
    ws_peers(gauge(*registry, "tryon_websocket_peers",
                   "Client WebSockets attached to a session")),
    ws_refused(pm::BuildCounter()
                   .Name("tryon_websocket_refused_total")
                   .Help("WebSockets refused at connect, by close code")
                   .Register(*registry)),
    ws_closed(pm::BuildCounter()
                  .Name("tryon_websocket_closed_total")
                  .Help("Client WebSocket connections ended, by close code")
                  .Register(*registry)),
    http_requests(pm::BuildCounter()
                      .Name("tryon_http_requests_total")
                      .Help("HTTP requests answered, by route and status "
                            "class")
                      .Register(*registry)),
    http_duration(pm::BuildHistogram()
                      .Name("tryon_http_request_duration_seconds")
                      .Help("HTTP request header received to response "
                            "written, by route and status class")
                      .Register(*registry)),
    ai_up(gauge(*registry, "tryon_ai_link_connections_up",
                "AI link channels connected")),
    ai_total(gauge(*registry, "tryon_ai_link_connections",
                   "AI link channels in the pool")),
    ai_sessions(gauge(*registry, "tryon_ai_link_sessions",
                      "Sessions carried by the AI link")),
    ai_in_flight(gauge(*registry, "tryon_ai_link_in_flight",
                       "Frames sent to the AI and not answered yet")),
    capture_depth(gauge(*registry, "tryon_capture_queue_depth",
                        "Captures accepted and not finished")),
    captures_saved(counter(*registry, "tryon_captures_saved_total",
                           "Captures saved as results")),
    capture_failures(counter(*registry, "tryon_capture_failures_total",
                             "Captures that failed (disk or database)")),
    captures_rejected(counter(*registry, "tryon_captures_rejected_total",
                              "Captures refused: queue full")),
    expired(counter(*registry, "tryon_sessions_expired_total",
                    "Sessions the expiry sweep marked completed")),
    uptime(gauge(*registry, "tryon_uptime_seconds", "Seconds since start")) {
  // Present from the start, so that rate() and alerts see a zero first.
  ws_closed.Add({{"code", "1000"}});
}

void node_metrics::impl::refresh_process() {
  uptime.Set(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count());
}

node_metrics::node_metrics() : impl_(std::make_unique<impl>()) {}

node_metrics::~node_metrics() = default;

void node_metrics::add_received(std::uint64_t n) {
  impl_->received.Increment(static_cast<double>(n));
}

void node_metrics::add_rejected(std::uint64_t n) {
  impl_->rejected.Increment(static_cast<double>(n));
}

void node_metrics::add_forwarded(std::uint64_t n) {
  impl_->forwarded.Increment(static_cast<double>(n));
}

void node_metrics::add_processed(std::uint64_t n) {
  impl_->processed.Increment(static_cast<double>(n));
}

void node_metrics::add_dropped(std::uint64_t n) {
  impl_->dropped.Increment(static_cast<double>(n));
}

void node_metrics::add_error(const std::string& code) {
  impl_->errors.Add({{"code", code}}).Increment();
}

void node_metrics::observe_processing(double ms) {
  impl_->processing_hist.Observe(ms / 1000);
  impl_->processing.Observe(ms / 1000);
}

void node_metrics::observe_end_to_end(double ms) {
  impl_->end_to_end_hist.Observe(ms / 1000);
  impl_->end_to_end.Observe(ms / 1000);
}

void node_metrics::session_actors(int delta) {
  impl_->session_actors.Increment(delta);
}

void node_metrics::ws_peers(int delta) {
  impl_->ws_peers.Increment(delta);
}

void node_metrics::ws_refused(std::uint16_t close_code) {
  impl_->ws_refused.Add({{"code", std::to_string(close_code)}}).Increment();
}

void node_metrics::capture_queued() {
  impl_->capture_depth.Increment();
}

void node_metrics::capture_finished(bool saved) {
  impl_->capture_depth.Decrement();
  (saved ? impl_->captures_saved : impl_->capture_failures).Increment();
}

void node_metrics::capture_rejected() {
  impl_->captures_rejected.Increment();
}

void node_metrics::sessions_expired(std::uint64_t n) {
  impl_->expired.Increment(static_cast<double>(n));
}

void node_metrics::ws_closed(std::uint16_t close_code) {
  impl_->ws_closed.Add({{"code", std::to_string(close_code)}}).Increment();
}

void node_metrics::observe_http(const std::string& route, unsigned status,
                                double seconds) {
  const std::string status_class = std::to_string(status / 100) + "xx";
  pm::Labels labels{{"route", route}, {"status_class", status_class}};
  impl_->http_requests.Add(labels).Increment();
  impl_->http_duration.Add(labels, http_buckets).Observe(seconds);
}

void node_metrics::set_build_info(std::string version, std::string commit) {
  impl_->version = std::move(version);
  impl_->commit = std::move(commit);
}

void node_metrics::set_ai_link(const ai_link_figures& f) {
  impl_->ai_up.Set(static_cast<double>(f.connections_up));
  impl_->ai_total.Set(static_cast<double>(f.connections_total));
  impl_->ai_sessions.Set(static_cast<double>(f.sessions));
  impl_->ai_in_flight.Set(static_cast<double>(f.in_flight));
}

void node_metrics::set_actors_running(std::int64_t n) {
  impl_->actors_running.Set(static_cast<double>(n));
}

std::string node_metrics::prometheus_text() {
  impl_->refresh_process();
  auto families = impl_->registry->Collect();
  families.push_back(build_info_family(
      "tryon_build_info", impl_->version.c_str(), impl_->commit.c_str()));
  for (auto& f : process_families())
    families.push_back(std::move(f));
  std::ostringstream out;
  pm::TextSerializer{}.Serialize(out, families);
  return out.str();
}

} // namespace tryon::metrics
