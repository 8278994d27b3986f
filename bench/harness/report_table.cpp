#include "bench/harness/run_report.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace tryon::bench {

namespace {

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));

std::string fmt(const char* f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

std::string num(const std::optional<double>& v, const char* f = "%.1f") {
  return v ? fmt(f, *v) : std::string{"-"};
}

std::string mb(double bytes_per_s) {
  return fmt("%.1f MB/s", bytes_per_s / 1e6);
}

std::string process_row(const run_report& r, const process_trace& p) {
  const auto f = compute_process(r, p);
  return fmt(
      "  %-8s %7d %8s %10s %11s %9.1f %9.1f %9.1f %10s %10s\n", p.role.c_str(),
      p.pid, num(f.cpu_s, "%.2f").c_str(), num(f.cpu_us_per_frame).c_str(),
      num(f.cpu_us_per_session_s, "%.2f").c_str(), f.rss_start_kb / 1024.0,
      f.rss_end_kb / 1024.0, f.rss_peak_kb / 1024.0,
      num(f.rss_per_session_kb).c_str(), num(f.rss_slope_kb_per_min).c_str());
}

} // namespace

std::string report_table(const run_report& r, bool per_session) {
  const auto f = compute_figures(r);
  std::string out;
  out += fmt("tryon-bench %s  %s\n", r.mode.c_str(), r.target.c_str());
  out += fmt("  sessions   %d ready of %d, %.1f s measured", r.sessions_ready,
             r.sessions_asked, r.window_s);
  if (r.mode != "idle")
    out += fmt(", %.1f fps asked per session, frames ~%.1f KB", r.fps_asked,
               r.frame_bytes / 1024.0);
  out += "\n";
  out += fmt("  open       ready %d (init -> ready p50 %.0f ms  p99 %.0f  max "
             "%.0f), init errors %d (max %.0f ms), connect failures %d, "
             "left waiting %d\n",
             r.sessions_ready, r.ready_latency.percentile(0.50) / 1000.0,
             r.ready_latency.percentile(0.99) / 1000.0,
             r.ready_latency.max() / 1000.0, r.open_init_failed,
             r.init_error_latency.max() / 1000.0, r.open_connect_failed,
             r.open_waiting);
  if (r.mode == "takeover") {
    // no frames: the take-over lines below are the result
  } else if (r.mode == "idle") {
    out += fmt("  pings      %llu pongs, errors %llu\n",
               static_cast<unsigned long long>(r.pongs),
               static_cast<unsigned long long>(r.errors));
    out += fmt("  ping rtt   p50 %.2f ms  p90 %.2f  p99 %.2f  max %.2f  "
               "(n=%llu)\n",
               f.p50_ms, f.p90_ms, f.p99_ms, f.max_ms,
               static_cast<unsigned long long>(r.latency.count()));
  } else {
    out += fmt("  frames     sent %llu  processed %llu  dropped %llu "
               "(%.2f %%)  failed %llu  skipped %llu  unanswered %.0f  "
               "errors %llu\n",
               static_cast<unsigned long long>(r.sent),
               static_cast<unsigned long long>(r.processed),
               static_cast<unsigned long long>(r.dropped), f.drop_pct,
               static_cast<unsigned long long>(r.failed),
               static_cast<unsigned long long>(r.skipped), f.unanswered,
               static_cast<unsigned long long>(r.errors));
    if (r.unmatched > 0)
      out += fmt("  stale      %llu replies to frames older than the last 2048 "
                 "sent (counted, not timed)\n",
                 static_cast<unsigned long long>(r.unmatched));
    out += fmt("  fps        asked %.2f  sent %.2f  processed %.2f per "
               "session; %.1f frames/s total\n",
               r.fps_asked, f.fps_sent_per_session, f.fps_processed_per_session,
               f.frames_per_s);
    out += fmt("  bytes      out %s  in %s\n", mb(f.bytes_out_per_s).c_str(),
               mb(f.bytes_in_per_s).c_str());
    out += fmt("  upload     %.2f MB written (%.1f KB per frame sent), %.2f MB "
               "acked by the server = %.2f Mbit/s\n",
               r.bytes_out / 1e6, f.frame_bytes_sent / 1024.0,
               r.bytes_acked / 1e6, f.bytes_acked_per_s * 8 / 1e6);
    if (r.stream_hints || r.hints > 0) {
      std::string reasons;
      for (const auto& [reason, n] : r.hints_by_reason)
        reasons += fmt("%s%s %llu", reasons.empty() ? "" : ", ", reason.c_str(),
                       static_cast<unsigned long long>(n));
      out += fmt("  hints      %llu received%s%s%s",
                 static_cast<unsigned long long>(r.hints),
                 reasons.empty() ? "" : " (", reasons.c_str(),
                 reasons.empty() ? "" : ")");
      if (r.last_hint)
        out += fmt(
            "; last: fps %d, jpeg_quality %d, max_width %d (%s)",
            r.last_hint->fps, r.last_hint->jpeg_quality, r.last_hint->max_width,
            r.last_hint->reason.empty() ? "-" : r.last_hint->reason.c_str());
      if (!r.stream_hints)
        out += "; not followed (no --stream-hints)";
      out += "\n";
    }
    out += fmt("  latency    p50 %.2f ms  p90 %.2f  p99 %.2f  max %.2f  "
               "mean %.2f  (n=%llu, send -> processed image)\n",
               f.p50_ms, f.p90_ms, f.p99_ms, f.max_ms, f.mean_ms,
               static_cast<unsigned long long>(r.latency.count()));
    out += fmt("  ai         %.2f ms per frame by its own account, confidence "
               "%.2f (means over processed frames)\n",
               f.ai_ms_mean, f.confidence_mean);
  }
  auto hist = [](const latency_histogram& h) {
    return fmt("p50 %.1f ms  p90 %.1f  p99 %.1f  max %.1f  (n=%llu)",
               h.percentile(0.5) / 1000.0, h.percentile(0.9) / 1000.0,
               h.percentile(0.99) / 1000.0, h.max() / 1000.0,
               static_cast<unsigned long long>(h.count()));
  };
  if (r.reconnect.enabled) {
    out += fmt("  reconnect  %llu outages: %llu back within %.1f s, %llu lost; "
               "%llu links reopened\n",
               static_cast<unsigned long long>(r.reconnect.outages),
               static_cast<unsigned long long>(r.reconnect.recovered),
               r.reconnect.within_s,
               static_cast<unsigned long long>(r.reconnect.lost),
               static_cast<unsigned long long>(r.reconnect.attempts));
    out += "  to ready   " + hist(r.reconnect.to_ready) +
           " close -> session_ready\n";
    out += "  to frame   " + hist(r.reconnect.to_frame) +
           " close -> first processed frame\n";
  }
  if (r.takeover.enabled) {
    out += fmt("  takeover   %d asked: %d closed 4009, %d other close, %d "
               "timed out\n",
               r.takeover.asked, r.takeover.taken_over, r.takeover.other_close,
               r.takeover.timed_out);
    out +=
        "  to 4009    " + hist(r.takeover.latency) + " new open -> old 4009\n";
    out += "  to ready   " + hist(r.takeover.ready) +
           " new open -> session_ready\n";
  }
  for (const auto& [code, n] : r.error_codes)
    out += fmt("  error      %-28s %llu\n", code.c_str(),
               static_cast<unsigned long long>(n));
  // One token plays every phone: the server's per-user quotas (on by
  // default) refuse a load test beyond a handful of sessions.
  if (r.error_codes.count("RATE_LIMITED") != 0)
    out += "  hint       RATE_LIMITED: one token plays every phone; start the "
           "stack with TRYON_MAX_LIVE_SESSIONS_PER_USER=0 "
           "TRYON_SESSIONS_PER_MINUTE=0 for load tests "
           "(docs/PERFORMANCE.md)\n";
  out += fmt("  %-8s %7s %8s %10s %11s %9s %9s %9s %10s %10s\n", "process",
             "pid", "cpu s", "cpu us/fr", "us/sess-s", "rss0 MB", "rss1 MB",
             "peak MB", "KB/sess", "KB/min");
  for (const auto& p : r.processes)
    out += process_row(r, p);
  if (!r.tcp_mem_timeline.empty()) {
    std::uint64_t peak = 0;
    for (const auto& pt : r.tcp_mem_timeline)
      peak = std::max(peak, pt.second);
    out += fmt("  kernel     TCP buffers (machine-wide) %.1f MB at start, "
               "%.1f MB peak\n",
               r.tcp_mem_timeline.front().second / 1024.0, peak / 1024.0);
  }
  out += fmt("  machine    %d cpus, 1-min load %.2f before, %.2f after\n",
             r.cpus, r.load_before, r.load_after);
  for (const auto& n : r.notes)
    out += "  note       " + n + "\n";
  if (per_session) {
    out += fmt("  %-36s %5s %7s %9s %7s %6s %6s %7s\n", "session", "ready",
               "sent", "processed", "dropped", "failed", "errors", "skipped");
    for (const auto& s : r.sessions)
      out +=
          fmt("  %-36s %5s %7llu %9llu %7llu %6llu %6llu %7llu\n", s.id.c_str(),
              s.ready ? "yes" : "no", static_cast<unsigned long long>(s.sent),
              static_cast<unsigned long long>(s.processed),
              static_cast<unsigned long long>(s.dropped),
              static_cast<unsigned long long>(s.failed),
              static_cast<unsigned long long>(s.errors),
              static_cast<unsigned long long>(s.skipped));
  }
  return out;
}

} // namespace tryon::bench
