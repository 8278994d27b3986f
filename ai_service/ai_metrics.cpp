#include "ai_service/ai_metrics.hpp"

#include <sstream>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "metrics/process_stats.hpp"
#include "tryon_version.hpp"

namespace tryon::ai {

namespace pm = prometheus;

struct ai_metrics::impl {
  std::shared_ptr<pm::Registry> registry = std::make_shared<pm::Registry>();
  pm::Family<pm::Counter>& frames = pm::BuildCounter()
                                        .Name("tryon_ai_frames_total")
                                        .Help("Frames by result")
                                        .Register(*registry);
  pm::Counter& processed = frames.Add({{"result", "processed"}});
  pm::Counter& failed = frames.Add({{"result", "failed"}});
  pm::Counter& rejected = frames.Add({{"result", "rejected"}});
  pm::Histogram& latency =
      pm::BuildHistogram()
          .Name("tryon_ai_frame_duration_seconds")
          .Help("Render time per frame (decode, render, encode)")
          .Register(*registry)
          .Add({}, pm::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01,
                                                   0.025, 0.05, 0.1, 0.25, 0.5,
                                                   1, 2.5});
  pm::Family<pm::Counter>& errors =
      pm::BuildCounter()
          .Name("tryon_ai_errors_total")
          .Help("Error messages sent to servers, by code")
          .Register(*registry);
  pm::Gauge& sessions = pm::BuildGauge()
                            .Name("tryon_ai_sessions")
                            .Help("Sessions open (initialised, not closed)")
                            .Register(*registry)
                            .Add({});
  pm::Gauge& conns = pm::BuildGauge()
                         .Name("tryon_ai_connections")
                         .Help("Server WebSocket connections open")
                         .Register(*registry)
                         .Add({});
  pm::Gauge& held =
      pm::BuildGauge()
          .Name("tryon_ai_frames_held")
          .Help("Frames taken on and not answered yet (waiting or rendering)")
          .Register(*registry)
          .Add({});
  pm::Gauge& held_peak = pm::BuildGauge()
                             .Name("tryon_ai_frames_held_peak")
                             .Help("Most frames held at once since the start")
                             .Register(*registry)
                             .Add({});
  pm::Gauge& workers = pm::BuildGauge()
                           .Name("tryon_ai_workers")
                           .Help("Rendering worker threads")
                           .Register(*registry)
                           .Add({});
  std::atomic<std::int64_t> held_now{0};
  std::atomic<std::int64_t> held_max{0};
};

ai_metrics::ai_metrics() : impl_(std::make_unique<impl>()) {}

ai_metrics::~ai_metrics() = default;

void ai_metrics::frame_done(bool ok, double seconds) {
  (ok ? impl_->processed : impl_->failed).Increment();
  impl_->latency.Observe(seconds);
}

void ai_metrics::frame_rejected() {
  impl_->rejected.Increment();
}

void ai_metrics::error(std::string_view code) {
  impl_->errors.Add({{"code", std::string{code}}}).Increment();
}

void ai_metrics::connections(int delta) {
  impl_->conns.Increment(delta);
}

void ai_metrics::frames_held(std::ptrdiff_t delta) {
  auto now = impl_->held_now.fetch_add(delta) + delta;
  auto peak = impl_->held_max.load();
  while (now > peak && !impl_->held_max.compare_exchange_weak(peak, now)) {
  }
}

void ai_metrics::workers(int n) {
  impl_->workers.Set(n);
}

std::string ai_metrics::prometheus_text(std::size_t sessions) {
  impl_->sessions.Set(static_cast<double>(sessions));
  impl_->held.Set(static_cast<double>(impl_->held_now.load()));
  impl_->held_peak.Set(static_cast<double>(impl_->held_max.load()));
  auto families = impl_->registry->Collect();
  families.push_back(metrics::build_info_family("tryon_ai_build_info",
                                                tryon::version, tryon::commit));
  for (auto& f : metrics::process_families())
    families.push_back(std::move(f));
  std::ostringstream out;
  pm::TextSerializer{}.Serialize(out, families);
  return out.str();
}

} // namespace tryon::ai
