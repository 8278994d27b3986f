#include "bench/harness/run_recorder.hpp"

namespace tryon::bench {

void run_recorder::set_window(bench_clock::time_point begin,
                              bench_clock::time_point end) {
  std::lock_guard<std::mutex> lock{mu_};
  begin_ = begin;
  end_ = end;
}

bool run_recorder::in_window(bench_clock::time_point t) const {
  std::lock_guard<std::mutex> lock{mu_};
  return t >= begin_ && t < end_;
}

std::pair<bench_clock::time_point, bench_clock::time_point>
run_recorder::window() const {
  std::lock_guard<std::mutex> lock{mu_};
  return {begin_, end_};
}

void run_recorder::record_latency(bench_clock::time_point sent_at,
                                  bench_clock::time_point now) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(now - sent_at)
          .count();
  const auto v = static_cast<std::uint64_t>(us < 0 ? 0 : us);
  std::lock_guard<std::mutex> lock{mu_};
  interval_.record(v);
  if (sent_at >= begin_ && sent_at < end_)
    window_.record(v);
}

namespace {

std::uint64_t to_us(bench_clock::duration d) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d);
  return static_cast<std::uint64_t>(us.count() < 0 ? 0 : us.count());
}

} // namespace

void run_recorder::record_reconnect_ready(bench_clock::duration down) {
  std::lock_guard<std::mutex> lock{mu_};
  reconnect_ready_.record(to_us(down));
}

void run_recorder::record_reconnect_frame(bench_clock::duration down) {
  std::lock_guard<std::mutex> lock{mu_};
  reconnect_frame_.record(to_us(down));
}

latency_histogram run_recorder::reconnect_ready() const {
  std::lock_guard<std::mutex> lock{mu_};
  return reconnect_ready_;
}

latency_histogram run_recorder::reconnect_frame() const {
  std::lock_guard<std::mutex> lock{mu_};
  return reconnect_frame_;
}

void run_recorder::record_error(const std::string& code) {
  std::lock_guard<std::mutex> lock{mu_};
  ++codes_[code];
}

void run_recorder::record_init_answer(bench_clock::time_point sent_at,
                                      bench_clock::time_point now, bool ready) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(now - sent_at)
          .count();
  const auto v = static_cast<std::uint64_t>(us < 0 ? 0 : us);
  std::lock_guard<std::mutex> lock{mu_};
  (ready ? ready_ : init_error_).record(v);
}

latency_histogram run_recorder::ready_latency() const {
  std::lock_guard<std::mutex> lock{mu_};
  return ready_;
}

latency_histogram run_recorder::init_error_latency() const {
  std::lock_guard<std::mutex> lock{mu_};
  return init_error_;
}

latency_histogram run_recorder::window_latency() const {
  std::lock_guard<std::mutex> lock{mu_};
  return window_;
}

latency_histogram run_recorder::take_interval() {
  std::lock_guard<std::mutex> lock{mu_};
  latency_histogram out = interval_;
  interval_.reset();
  return out;
}

std::map<std::string, std::uint64_t> run_recorder::error_codes() const {
  std::lock_guard<std::mutex> lock{mu_};
  return codes_;
}

void run_recorder::record_hint(const stream_hint& h) {
  std::lock_guard<std::mutex> lock{mu_};
  ++hints_.received;
  ++hints_.by_reason[h.reason.empty() ? "-" : h.reason];
  hints_.last = h;
}

hint_summary run_recorder::hints() const {
  std::lock_guard<std::mutex> lock{mu_};
  return hints_;
}

} // namespace tryon::bench
