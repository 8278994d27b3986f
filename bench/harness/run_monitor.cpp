#include "bench/harness/run_monitor.hpp"

#include <unistd.h>

namespace tryon::bench {

progress_totals
sum_progress(const std::vector<std::unique_ptr<phone_session>>& phones) {
  progress_totals t;
  for (const auto& p : phones) {
    const auto& c = p->counters();
    t.ready += c.ready.load() ? 1 : 0;
    t.broken += c.broken.load() ? 1 : 0;
    t.done += p->done() ? 1 : 0;
    t.sent += c.sent_total.load();
    t.processed += c.processed_total.load();
    t.dropped += c.dropped.load();
    t.errors += c.errors.load();
    t.pongs += c.pongs.load();
  }
  return t;
}

std::string progress_line(double t_s, const char* phase, int asked,
                          const progress_totals& now, double fps,
                          const latency_histogram& interval,
                          std::uint64_t server_rss_kb) {
  char buf[320];
  std::snprintf(
      buf, sizeof buf,
      "[%6.1fs %-7s] ready %d/%d broken %d | sent %llu (%.0f/s) replies %llu "
      "| p50 %.2f p99 %.2f ms | dropped %llu errors %llu pongs %llu%s",
      t_s, phase, now.ready, asked, now.broken,
      static_cast<unsigned long long>(now.sent), fps,
      static_cast<unsigned long long>(now.processed),
      interval.percentile(0.5) / 1000.0, interval.percentile(0.99) / 1000.0,
      static_cast<unsigned long long>(now.dropped),
      static_cast<unsigned long long>(now.errors),
      static_cast<unsigned long long>(now.pongs),
      server_rss_kb
          ? (" | server rss " + std::to_string(server_rss_kb / 1024) + " MB")
                .c_str()
          : "");
  return buf;
}

run_monitor::run_monitor(
    bool quiet, int asked, std::vector<process_trace>& traces,
    const std::vector<std::unique_ptr<phone_session>>& phones,
    run_recorder& rec)
  : quiet_(quiet), tty_(isatty(2) != 0), asked_(asked), traces_(traces),
    phones_(phones), rec_(rec), start_(bench_clock::now()),
    next_sample_(start_), next_print_(start_ + std::chrono::seconds(1)),
    last_print_(start_) {}

double run_monitor::elapsed_s() const {
  return std::chrono::duration<double>(bench_clock::now() - start_).count();
}

void run_monitor::sample_all(std::optional<proc_sample> process_trace::*field) {
  for (auto& t : traces_)
    t.*field = sample_proc(t.pid);
}

void run_monitor::tick(const char* phase) {
  const auto now = bench_clock::now();
  std::uint64_t server_rss = 0;
  if (now >= next_sample_) {
    next_sample_ += std::chrono::seconds(1);
    for (auto& t : traces_)
      if (auto s = sample_proc(t.pid)) {
        t.rss_timeline.emplace_back(elapsed_s(), s->rss_kb);
        if (t.role == "server")
          server_rss = s->rss_kb;
      }
    if (auto kb = tcp_buffer_kb())
      tcp_timeline_.emplace_back(elapsed_s(), *kb);
  }
  if (now < next_print_)
    return;
  next_print_ = now + std::chrono::seconds(tty_ ? 1 : 5);
  auto totals = sum_progress(phones_);
  const double dt = std::chrono::duration<double>(now - last_print_).count();
  const double fps = dt > 0 ? (totals.sent - last_sent_) / dt : 0;
  last_print_ = now;
  last_sent_ = totals.sent;
  auto interval = rec_.take_interval();
  if (quiet_)
    return;
  if (server_rss == 0)
    for (const auto& t : traces_)
      if (t.role == "server" && !t.rss_timeline.empty())
        server_rss = t.rss_timeline.back().second;
  auto line = progress_line(elapsed_s(), phase, asked_, totals, fps, interval,
                            server_rss);
  std::fprintf(stderr, tty_ ? "\r%-150s" : "%s\n", line.c_str());
  std::fflush(stderr);
  line_open_ = tty_;
}

void run_monitor::end_line() {
  if (line_open_)
    std::fputc('\n', stderr);
  line_open_ = false;
}

} // namespace tryon::bench
