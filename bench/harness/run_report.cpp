#include "bench/harness/run_report.hpp"

#include <algorithm>

namespace tryon::bench {

namespace {

double ms(std::uint64_t us) {
  return static_cast<double>(us) / 1000.0;
}

nlohmann::json opt(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

nlohmann::json sample_json(const std::optional<proc_sample>& s) {
  if (!s)
    return nullptr;
  return {{"cpu_s", s->cpu_s},
          {"rss_kb", s->rss_kb},
          {"hwm_kb", s->hwm_kb},
          {"threads", s->threads}};
}

} // namespace

run_figures compute_figures(const run_report& r) {
  run_figures f;
  const double w = r.window_s > 0 ? r.window_s : 0;
  if (w > 0 && r.sessions_ready > 0) {
    f.fps_sent_per_session = r.sent / w / r.sessions_ready;
    f.fps_processed_per_session = r.processed / w / r.sessions_ready;
  }
  if (w > 0) {
    f.frames_per_s = r.processed / w;
    f.bytes_out_per_s = r.bytes_out / w;
    f.bytes_acked_per_s = r.bytes_acked / w;
    f.bytes_in_per_s = r.bytes_in / w;
  }
  if (r.sent > 0) {
    f.drop_pct = 100.0 * r.dropped / r.sent;
    f.frame_bytes_sent = static_cast<double>(r.bytes_out) / r.sent;
  }
  const double accounted =
      static_cast<double>(r.processed + r.dropped + r.failed);
  f.unanswered = std::max(0.0, static_cast<double>(r.sent) - accounted);
  f.p50_ms = ms(r.latency.percentile(0.50));
  f.p90_ms = ms(r.latency.percentile(0.90));
  f.p99_ms = ms(r.latency.percentile(0.99));
  f.max_ms = ms(r.latency.max());
  f.mean_ms = r.latency.mean() / 1000.0;
  if (r.processed > 0) {
    f.ai_ms_mean = r.ai_time_ms_sum / r.processed;
    f.confidence_mean = r.confidence_sum / r.processed;
  }
  return f;
}

std::optional<double>
slope_per_minute(const std::vector<std::pair<double, std::uint64_t>>& pts) {
  if (pts.size() < 3)
    return std::nullopt;
  double mx = 0, my = 0;
  for (const auto& [t, v] : pts) {
    mx += t;
    my += static_cast<double>(v);
  }
  mx /= pts.size();
  my /= pts.size();
  double sxy = 0, sxx = 0;
  for (const auto& [t, v] : pts) {
    sxy += (t - mx) * (static_cast<double>(v) - my);
    sxx += (t - mx) * (t - mx);
  }
  if (sxx <= 0)
    return std::nullopt;
  return sxy / sxx * 60.0;
}

process_figures compute_process(const run_report& r, const process_trace& p) {
  process_figures f;
  if (p.window_start && p.window_end) {
    f.cpu_s = p.window_end->cpu_s - p.window_start->cpu_s;
    if (r.sent > 0)
      f.cpu_us_per_frame = *f.cpu_s * 1e6 / r.sent;
    if (r.sessions_ready > 0 && r.window_s > 0)
      f.cpu_us_per_session_s = *f.cpu_s * 1e6 / r.sessions_ready / r.window_s;
  }
  const auto& first = p.baseline ? p.baseline : p.window_start;
  if (first)
    f.rss_start_kb = first->rss_kb;
  if (p.window_end)
    f.rss_end_kb = p.window_end->rss_kb;
  if (first && p.window_end && r.sessions_ready > 0)
    f.rss_per_session_kb = (static_cast<double>(p.window_end->rss_kb) -
                            static_cast<double>(first->rss_kb)) /
                           r.sessions_ready;
  f.rss_peak_kb = std::max(f.rss_start_kb, f.rss_end_kb);
  std::vector<std::pair<double, std::uint64_t>> in_window;
  for (const auto& pt : p.rss_timeline) {
    f.rss_peak_kb = std::max(f.rss_peak_kb, pt.second);
    if (pt.first >= r.window_start_s)
      in_window.push_back(pt);
  }
  f.rss_slope_kb_per_min = slope_per_minute(in_window);
  return f;
}

nlohmann::json numeric_delta(const nlohmann::json& before,
                             const nlohmann::json& after) {
  if (!before.is_object() || !after.is_object())
    return nullptr;
  nlohmann::json out = nlohmann::json::object();
  for (auto it = after.begin(); it != after.end(); ++it) {
    auto b = before.find(it.key());
    if (b == before.end())
      continue;
    if (it->is_object()) {
      auto d = numeric_delta(*b, *it);
      if (d.is_object() && !d.empty())
        out[it.key()] = d;
    } else if (it->is_number() && b->is_number() && !it->is_boolean()) {
      out[it.key()] = it->get<double>() - b->get<double>();
    }
  }
  return out;
}

nlohmann::json histogram_json(const latency_histogram& h) {
  auto ms = [](std::uint64_t us) { return static_cast<double>(us) / 1000.0; };
  return {{"count", h.count()},
          {"p50", ms(h.percentile(0.50))},
          {"p90", ms(h.percentile(0.90))},
          {"p99", ms(h.percentile(0.99))},
          {"max", ms(h.max())}};
}

nlohmann::json report_json(const run_report& r) {
  const auto f = compute_figures(r);
  nlohmann::json procs = nlohmann::json::object();
  for (const auto& p : r.processes) {
    const auto pf = compute_process(r, p);
    procs[p.role] = {{"pid", p.pid},
                     {"cpu_s", opt(pf.cpu_s)},
                     {"cpu_us_per_frame", opt(pf.cpu_us_per_frame)},
                     {"cpu_us_per_session_s", opt(pf.cpu_us_per_session_s)},
                     {"rss_start_kb", pf.rss_start_kb},
                     {"rss_end_kb", pf.rss_end_kb},
                     {"rss_peak_kb", pf.rss_peak_kb},
                     {"rss_per_session_kb", opt(pf.rss_per_session_kb)},
                     {"rss_slope_kb_per_min", opt(pf.rss_slope_kb_per_min)},
                     {"baseline", sample_json(p.baseline)},
                     {"window_start", sample_json(p.window_start)},
                     {"window_end", sample_json(p.window_end)},
                     {"rss_timeline", p.rss_timeline}};
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& s : r.sessions)
    rows.push_back({{"id", s.id},
                    {"ready", s.ready},
                    {"sent", s.sent},
                    {"processed", s.processed},
                    {"dropped", s.dropped},
                    {"failed", s.failed},
                    {"errors", s.errors},
                    {"skipped", s.skipped}});
  return {
      {"mode", r.mode},
      {"target", r.target},
      {"options", r.options},
      {"sessions",
       {{"asked", r.sessions_asked},
        {"ready", r.sessions_ready},
        {"init_failed", r.open_init_failed},
        {"connect_failed", r.open_connect_failed},
        {"waiting", r.open_waiting}}},
      {"open_ms",
       {{"ready_p50", r.ready_latency.percentile(0.50) / 1000.0},
        {"ready_p99", r.ready_latency.percentile(0.99) / 1000.0},
        {"ready_max", r.ready_latency.max() / 1000.0},
        {"error_p50", r.init_error_latency.percentile(0.50) / 1000.0},
        {"error_max", r.init_error_latency.max() / 1000.0}}},
      {"window_s", r.window_s},
      {"frames",
       {{"sent", r.sent},
        {"processed", r.processed},
        {"dropped", r.dropped},
        {"failed", r.failed},
        {"skipped", r.skipped},
        {"unanswered", f.unanswered},
        {"drop_pct", f.drop_pct},
        {"frame_bytes", r.frame_bytes}}},
      {"rate",
       {{"fps_asked_per_session", r.fps_asked},
        {"fps_sent_per_session", f.fps_sent_per_session},
        {"fps_processed_per_session", f.fps_processed_per_session},
        {"frames_per_s", f.frames_per_s},
        {"bytes_out_per_s", f.bytes_out_per_s},
        {"bytes_acked_per_s", f.bytes_acked_per_s},
        {"bytes_in_per_s", f.bytes_in_per_s}}},
      {"upload",
       {{"bytes_written", r.bytes_out},
        {"bytes_written_per_s", f.bytes_out_per_s},
        {"bytes_acked", r.bytes_acked},
        {"bytes_acked_per_s", f.bytes_acked_per_s},
        {"mbit_per_s", f.bytes_acked_per_s * 8 / 1e6},
        {"frame_bytes_sent", f.frame_bytes_sent}}},
      {"latency_ms",
       {{"count", r.latency.count()},
        {"p50", f.p50_ms},
        {"p90", f.p90_ms},
        {"p99", f.p99_ms},
        {"max", f.max_ms},
        {"mean", f.mean_ms},
        {"ai_processing_mean", f.ai_ms_mean}}},
      {"confidence_mean", f.confidence_mean},
      {"errors", {{"messages", r.errors}, {"by_code", r.error_codes}}},
      {"reconnect", r.reconnect.enabled
                        ? nlohmann::json{{"within_s", r.reconnect.within_s},
                                         {"outages", r.reconnect.outages},
                                         {"recovered", r.reconnect.recovered},
                                         {"lost", r.reconnect.lost},
                                         {"attempts", r.reconnect.attempts},
                                         {"close_to_ready_ms",
                                          histogram_json(r.reconnect.to_ready)},
                                         {"close_to_frame_ms",
                                          histogram_json(r.reconnect.to_frame)}}
                        : nlohmann::json(nullptr)},
      {"takeover", r.takeover.enabled
                       ? nlohmann::json{{"asked", r.takeover.asked},
                                        {"taken_over", r.takeover.taken_over},
                                        {"other_close", r.takeover.other_close},
                                        {"timed_out", r.takeover.timed_out},
                                        {"open_to_4009_ms",
                                         histogram_json(r.takeover.latency)},
                                        {"open_to_ready_ms",
                                         histogram_json(r.takeover.ready)}}
                       : nlohmann::json(nullptr)},
      {"hints",
       {{"enabled", r.stream_hints},
        {"received", r.hints},
        {"by_reason", r.hints_by_reason},
        {"last", r.last_hint ? to_json(*r.last_hint) : nlohmann::json()}}},
      {"pongs", r.pongs},
      {"unmatched_replies", r.unmatched},
      {"processes", procs},
      {"server_stats",
       {{"before", r.server_stats_before},
        {"after", r.server_stats_after},
        {"delta", numeric_delta(r.server_stats_before, r.server_stats_after)}}},
      {"tcp_buffers_kb", r.tcp_mem_timeline},
      {"machine",
       {{"cpus", r.cpus},
        {"load_1m_before", r.load_before},
        {"load_1m_after", r.load_after}}},
      {"notes", r.notes},
      {"per_session", rows}};
}

} // namespace tryon::bench
