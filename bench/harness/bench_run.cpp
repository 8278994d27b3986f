#include "bench/harness/bench_run.hpp"

#include "bench/harness/bench_url.hpp"
#include "bench/harness/phone_session.hpp"
#include "bench/harness/rest_client.hpp"
#include "bench/harness/run_monitor.hpp"
#include "bench/harness/session_setup.hpp"
#include "bench/harness/takeover_run.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <stdexcept>
#include <thread>

namespace tryon::bench {

namespace {

using namespace std::chrono_literals;

nlohmann::json options_json(const bench_options& o) {
  return {{"mode", to_string(o.mode)},
          {"url", o.url},
          {"ca_file", o.ca_file},
          {"ai_url", o.ai_url},
          {"post_id", o.post_id},
          {"sessions", o.sessions},
          {"fps", o.fps},
          {"duration_s", o.duration_s},
          {"frames", o.frames},
          {"warmup_s", o.warmup_s},
          {"ramp_s", o.ramp_s},
          {"jitter", o.jitter},
          {"resolution", to_string(o.resolution)},
          {"frame_kb", o.frame_kb},
          {"threads", o.threads},
          {"server_pid", o.server_pid},
          {"ai_pid", o.ai_pid},
          {"ping_interval_s", o.ping_interval_s},
          {"read_delay_ms", o.read_delay_ms},
          {"rcvbuf", o.rcvbuf},
          {"settle_s", o.settle_s},
          {"seed", o.seed},
          {"reconnect", o.reconnect},
          {"reconnect_within_s", o.reconnect_within_s},
          {"takeovers", o.takeovers},
          {"init", o.idle_init},
          {"stream_hints", o.stream_hints}};
}

nlohmann::json fetch_stats(const bench_options& o, run_report& rep) {
  if (o.mode == bench_mode::direct || o.stats_token.empty())
    return nullptr;
  const auto base = *parse_bench_url(o.url);
  rest_client rest{base, o.stats_token, tls_context_for(base, o.ca_file)};
  std::string err;
  if (auto j = rest.stats(err))
    return *j;
  rep.notes.push_back("stats not read: " + err);
  return nullptr;
}

ws_link_options link_options(const bench_options& o, const std::string& id,
                             const std::shared_ptr<tls_client_context>& tls) {
  const bool direct = o.mode == bench_mode::direct;
  const auto url = *parse_bench_url(direct ? o.ai_url : o.url);
  ws_link_options lo;
  lo.tls = tls;
  lo.tls_host = url.host;
  lo.address = connect_address(url);
  lo.port = url.port;
  lo.host_header = host_header(url);
  lo.target = direct ? url.target : join_target(url, "/ws/try-on/" + id + "/");
  if (!direct)
    lo.headers.emplace_back("Authorization", "Token " + o.token);
  lo.rcvbuf = o.rcvbuf;
  lo.read_delay = std::chrono::milliseconds(o.read_delay_ms);
  if (o.mode != bench_mode::idle)
    lo.write_buffer = 64 * 1024; // one masking pass per 64 KB, not per 4 KB
  return lo;
}

std::unique_ptr<phone_session>
make_phone(boost::asio::io_context& ioc, const bench_options& o,
           const session_setup& setup, std::size_t i,
           const std::vector<frame_image>& frames, frame_library* library,
           run_recorder& rec, const std::shared_ptr<tls_client_context>& tls) {
  const bool direct = o.mode == bench_mode::direct;
  const auto& id = setup.ids[i];
  const auto lo = link_options(o, id, tls);
  phone_config pc;
  pc.idle = o.mode == bench_mode::idle;
  pc.send_init = !pc.idle || o.idle_init;
  pc.fps = o.fps;
  pc.jitter = o.jitter;
  pc.seed = o.seed * 1000003 + i;
  pc.max_frames = o.frames;
  pc.ping_interval = std::chrono::milliseconds(
      static_cast<std::int64_t>(o.ping_interval_s * 1000));
  pc.drain = std::chrono::milliseconds(o.drain_ms);
  pc.frames = &frames;
  pc.stream_hints = o.stream_hints;
  pc.library = library;
  pc.reconnect = o.reconnect;
  pc.reconnect_within = std::chrono::milliseconds(
      static_cast<std::int64_t>(o.reconnect_within_s * 1000));
  link_factory relink;
  if (o.reconnect)
    relink = [&ioc, lo] { return make_ws_link(ioc, lo); };
  auto d = direct ? make_ai_dialect(id, setup.design_url)
                  : make_server_dialect(o.stream_hints);
  return std::make_unique<phone_session>(
      id, make_ws_link(ioc, lo), std::move(d), pc, rec, std::move(relink));
}

// Sleeps in 100 ms steps (ticking the monitor) until `done` or `deadline`.
template <class Pred>
bool wait_until(run_monitor& mon, const char* phase, Pred done,
                bench_clock::time_point deadline) {
  while (!done()) {
    if (bench_clock::now() >= deadline)
      return false;
    mon.tick(phase);
    std::this_thread::sleep_for(
        std::min<bench_clock::duration>(100ms, deadline - bench_clock::now()));
  }
  return true;
}

void collect(run_report& rep,
             const std::vector<std::unique_ptr<phone_session>>& phones) {
  for (const auto& p : phones) {
    const auto& c = p->counters();
    session_row row{
        p->id(),          c.ready.load(),  c.sent.load(),   c.processed.load(),
        c.dropped.load(), c.failed.load(), c.errors.load(), c.skipped.load()};
    rep.sessions_ready += row.ready ? 1 : 0;
    rep.sent += row.sent;
    rep.processed += row.processed;
    rep.dropped += row.dropped;
    rep.failed += row.failed;
    rep.errors += row.errors;
    rep.skipped += row.skipped;
    rep.pongs += c.pongs.load();
    rep.unmatched += c.unmatched.load();
    rep.ai_time_ms_sum += c.ai_time_us.load() / 1000.0;
    rep.confidence_sum += c.confidence_milli.load() / 1000.0;
    rep.bytes_out += c.bytes_out.load();
    rep.bytes_acked += c.bytes_acked.load();
    rep.bytes_in += c.bytes_in.load();
    rep.reconnect.outages += c.outages.load();
    rep.reconnect.recovered += c.recovered.load();
    rep.reconnect.lost += c.lost.load();
    rep.reconnect.attempts += c.reconnect_attempts.load();
    rep.sessions.push_back(std::move(row));
  }
}

} // namespace

run_report run_bench(const bench_options& o) {
  run_report rep;
  rep.mode = std::string{to_string(o.mode)};
  rep.target = o.mode == bench_mode::direct ? o.ai_url : o.url;
  rep.options = options_json(o);
  rep.sessions_asked = o.sessions;
  rep.fps_asked = o.mode == bench_mode::idle ? 0 : o.fps;
  rep.cpus = static_cast<int>(std::thread::hardware_concurrency());
  rep.load_before = load_average_1m();

  std::vector<frame_image> frames;
  if (o.mode != bench_mode::idle) {
    frames = make_frame_set(o.resolution, o.frame_kb, 4);
    std::size_t total = 0;
    for (const auto& f : frames)
      total += f.jpeg->size() + 1024;
    rep.frame_bytes = total / frames.size();
  }
  // Hinted phones pick re-encoded sets from here (made once per quality and
  // width, on the library's thread).
  std::optional<frame_library> library;
  if (o.stream_hints)
    library.emplace(frames);
  auto setup = prepare_sessions(o);
  if (!setup.fatal.empty())
    throw std::runtime_error(setup.fatal);
  rep.notes = setup.notes;
  rep.server_stats_before = fetch_stats(o, rep);

  std::vector<process_trace> traces;
  if (o.server_pid > 0)
    traces.push_back({"server", o.server_pid, {}, {}, {}, {}});
  if (o.ai_pid > 0)
    traces.push_back({"ai", o.ai_pid, {}, {}, {}, {}});
  traces.push_back({"harness", static_cast<int>(getpid()), {}, {}, {}, {}});

  boost::asio::io_context ioc;
  run_recorder rec;
  // One TLS context (CA loaded once) for every wss link of the run.
  const auto ws_tls = tls_context_for(
      *parse_bench_url(o.mode == bench_mode::direct ? o.ai_url : o.url),
      o.ca_file);
  if (o.mode == bench_mode::takeover) {
    auto work = boost::asio::make_work_guard(ioc);
    std::thread io{[&ioc] { ioc.run(); }};
    const auto t0 = bench_clock::now();
    run_takeovers(ioc, o, link_options(o, setup.ids.front(), ws_tls), rep);
    rep.window_s =
        std::chrono::duration<double>(bench_clock::now() - t0).count();
    work.reset();
    ioc.stop();
    io.join();
    rep.server_stats_after = fetch_stats(o, rep);
    rep.load_after = load_average_1m();
    return rep;
  }
  std::vector<std::unique_ptr<phone_session>> phones;
  for (std::size_t i = 0; i < setup.ids.size(); ++i)
    phones.push_back(make_phone(ioc, o, setup, i, frames,
                                library ? &*library : nullptr, rec, ws_tls));
  const int n = static_cast<int>(phones.size());
  run_monitor mon{o.quiet, n, traces, phones, rec};
  mon.sample_all(&process_trace::baseline);

  auto work = boost::asio::make_work_guard(ioc);
  std::vector<std::thread> io_threads;
  for (int t = 0; t < o.threads; ++t)
    io_threads.emplace_back([&ioc] { ioc.run(); });

  // -- connect ramp ----------------------------------------------------------
  const auto ramp = std::chrono::duration<double>(o.ramp_s);
  const auto ramp_start = bench_clock::now() + 50ms;
  for (int i = 0; i < n; ++i)
    phones[i]->connect_at(
        ramp_start + std::chrono::duration_cast<bench_clock::duration>(
                         ramp * (n > 1 ? static_cast<double>(i) / n : 0.0)));
  auto settled = [&] {
    auto t = sum_progress(phones);
    return t.ready + t.broken >= n;
  };
  if (!wait_until(mon, "connect", settled,
                  ramp_start +
                      std::chrono::duration_cast<bench_clock::duration>(ramp) +
                      30s))
    rep.notes.push_back("some sessions were neither ready nor failed 30 s "
                        "after the ramp");
  for (const auto& p : phones) {
    const auto& c = p->counters();
    if (c.ready.load())
      continue;
    if (c.init_failed.load())
      ++rep.open_init_failed;
    else if (c.broken.load())
      ++rep.open_connect_failed;
    else
      ++rep.open_waiting;
  }
  rep.ready_latency = rec.ready_latency();
  rep.init_error_latency = rec.init_error_latency();

  // -- measured window
  // ---------------------------------------------------------
  const bool idle = o.mode == bench_mode::idle;
  const auto t0 = bench_clock::now() +
                  (idle ? std::chrono::duration_cast<bench_clock::duration>(
                              std::chrono::duration<double>(o.settle_s))
                        : bench_clock::duration(200ms));
  const auto w_begin = t0 + std::chrono::duration_cast<bench_clock::duration>(
                                std::chrono::duration<double>(o.warmup_s));
  const auto w_end =
      w_begin + std::chrono::duration_cast<bench_clock::duration>(
                    std::chrono::duration<double>(o.duration_s));
  rec.set_window(w_begin, w_end);
  for (auto& p : phones)
    if (p->counters().ready.load())
      p->begin(idle ? w_begin : t0, w_end);
  wait_until(
      mon, idle ? "settle" : "warm-up", [] { return false; }, w_begin);
  mon.sample_all(&process_trace::window_start);
  rep.window_start_s = mon.elapsed_s();
  auto all_stopped = [&] {
    for (const auto& p : phones)
      if (p->counters().ready.load() && !p->stream_done())
        return false;
    return true;
  };
  wait_until(
      mon, idle ? "hold" : "measure",
      [&] { return !idle && o.frames > 0 && all_stopped(); }, w_end);
  mon.sample_all(&process_trace::window_end);
  rep.window_s = mon.elapsed_s() - rep.window_start_s;
  rep.server_stats_after = fetch_stats(o, rep);

  // -- drain and close
  // -----------------------------------------------------------
  for (auto& p : phones)
    p->finish();
  auto all_done = [&] {
    for (const auto& p : phones)
      if (!p->done())
        return false;
    return true;
  };
  if (!wait_until(mon, "drain", all_done,
                  bench_clock::now() + std::chrono::milliseconds(o.drain_ms) +
                      10s))
    rep.notes.push_back("some connections did not close in time");
  mon.end_line();
  work.reset();
  ioc.stop();
  for (auto& t : io_threads)
    t.join();

  collect(rep, phones);
  rep.reconnect.enabled = o.reconnect;
  rep.reconnect.within_s = o.reconnect_within_s;
  rep.reconnect.to_ready = rec.reconnect_ready();
  rep.reconnect.to_frame = rec.reconnect_frame();
  rep.latency = rec.window_latency();
  rep.stream_hints = o.stream_hints;
  {
    auto h = rec.hints();
    rep.hints = h.received;
    rep.hints_by_reason = std::move(h.by_reason);
    rep.last_hint = std::move(h.last);
  }
  rep.error_codes = rec.error_codes();
  rep.processes = std::move(traces);
  rep.tcp_mem_timeline = mon.tcp_timeline();
  rep.load_after = load_average_1m();
  return rep;
}

} // namespace tryon::bench
