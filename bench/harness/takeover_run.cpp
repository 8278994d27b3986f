#include "bench/harness/takeover_run.hpp"

#include <condition_variable>
#include <cstdio>
#include <mutex>

namespace tryon::bench {

namespace {

// One connection of the sequence; its events come on its link's strand,
// the driver reads it under `mu`.
struct connection {
  std::mutex mu;
  std::condition_variable cv;
  std::unique_ptr<dialect> talk = make_server_dialect();
  bool opened = false;
  bool ready = false;
  bool closed = false;
  int close_code = 0;
  std::string why;
  bench_clock::time_point opened_at{};
  bench_clock::time_point ready_at{};
  bench_clock::time_point closed_at{};
  std::shared_ptr<ws_link> link;
};

std::shared_ptr<connection> open_connection(boost::asio::io_context& ioc,
                                            const ws_link_options& lo) {
  auto c = std::make_shared<connection>();
  c->link = make_ws_link(ioc, lo);
  std::weak_ptr<connection> weak = c;
  auto note = [weak](auto&& update) {
    if (auto self = weak.lock()) {
      std::lock_guard<std::mutex> lock{self->mu};
      update(*self);
      self->cv.notify_all();
    }
  };
  ws_link* link = c->link.get(); // the link outlives its own events
  c->link->post([link, note, weak] {
    link->start({[link, note, weak] {
                   note([](connection& s) {
                     s.opened = true;
                     s.opened_at = bench_clock::now();
                   });
                   if (auto self = weak.lock())
                     link->send_text(self->talk->init_message());
                 },
                 [note](bool binary, std::string_view data) {
                   const auto now = bench_clock::now();
                   note([&](connection& s) {
                     if (s.talk->on_message(binary, data).what ==
                             peer_event::kind::ready &&
                         !s.ready) {
                       s.ready = true;
                       s.ready_at = now;
                     }
                   });
                 },
                 [note](const std::string& why, int code) {
                   const auto now = bench_clock::now();
                   note([&](connection& s) {
                     s.closed = true;
                     s.close_code = code;
                     s.why = why;
                     s.closed_at = now;
                   });
                 },
                 nullptr});
  });
  return c;
}

template <class Pred>
bool wait_for(connection& c, bench_clock::time_point deadline, Pred done) {
  std::unique_lock<std::mutex> lock{c.mu};
  return c.cv.wait_until(lock, deadline, [&] { return done(c); });
}

std::uint64_t us(bench_clock::duration d) {
  const auto v = std::chrono::duration_cast<std::chrono::microseconds>(d);
  return static_cast<std::uint64_t>(v.count() < 0 ? 0 : v.count());
}

void close_and_wait(connection& c, bench_clock::duration bound) {
  auto link = c.link;
  link->post([link] { link->close(); });
  wait_for(c, bench_clock::now() + bound,
           [](const connection& s) { return s.closed; });
}

} // namespace

void run_takeovers(boost::asio::io_context& ioc, const bench_options& opt,
                   const ws_link_options& lo, run_report& rep) {
  auto& t = rep.takeover;
  t.enabled = true;
  const auto bound = std::chrono::duration_cast<bench_clock::duration>(
      std::chrono::duration<double>(opt.reconnect_within_s));
  auto prev = open_connection(ioc, lo);
  if (!wait_for(*prev, bench_clock::now() + bound,
                [](const connection& s) { return s.ready || s.closed; }) ||
      !prev->ready) {
    std::lock_guard<std::mutex> lock{prev->mu};
    rep.notes.push_back("the first connection never got session_ready: " +
                        (prev->closed ? prev->why : std::string{"timeout"}));
    close_and_wait(*prev, bound);
    return;
  }
  rep.sessions_ready = 1;
  for (int i = 0; i < opt.takeovers; ++i) {
    auto cur = open_connection(ioc, lo);
    ++t.asked;
    const auto deadline = bench_clock::now() + bound;
    wait_for(*cur, deadline,
             [](const connection& s) { return s.ready || s.closed; });
    wait_for(*prev, deadline, [](const connection& s) { return s.closed; });
    bool prev_closed = false;
    {
      std::scoped_lock lock{prev->mu, cur->mu};
      prev_closed = prev->closed;
      if (!prev->closed || !cur->ready) {
        ++t.timed_out;
      } else if (prev->close_code == 4009) {
        ++t.taken_over;
        t.latency.record(us(prev->closed_at - cur->opened_at));
      } else {
        ++t.other_close;
        rep.error_codes["TAKEOVER_CLOSE (" + prev->why + ")"]++;
      }
      if (cur->ready)
        t.ready.record(us(cur->ready_at - cur->opened_at));
    }
    if (!prev_closed)
      close_and_wait(*prev, bound);
    prev = std::move(cur);
    if (!opt.quiet && (i + 1) % 50 == 0)
      std::fprintf(stderr, "takeover %d/%d\n", i + 1, opt.takeovers);
  }
  close_and_wait(*prev, bound);
}

} // namespace tryon::bench
