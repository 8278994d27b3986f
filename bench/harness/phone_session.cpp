#include "bench/harness/phone_session.hpp"

#include <algorithm>
#include <random>

namespace tryon::bench {

namespace {

// Send times kept per session: 80 s at 25 fps, so that even the stale frames
// a slow reader gets (kernel socket buffers hold seconds of video) are timed.
constexpr std::size_t ring_size = 2048;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t steady_us(bench_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             t.time_since_epoch())
      .count();
}

} // namespace

phone_session::phone_session(std::string id, std::shared_ptr<ws_link> link,
                             std::unique_ptr<dialect> d, phone_config cfg,
                             run_recorder& rec, link_factory relink)
  : id_(std::move(id)), link_(std::move(link)), relink_(std::move(relink)),
    tracker_(cfg.reconnect_within), dialect_(std::move(d)), cfg_(cfg),
    rec_(rec), frames_(cfg.frames) {}

std::shared_ptr<ws_link> phone_session::link() const {
  std::lock_guard<std::mutex> lock{link_mu_};
  return link_;
}

void phone_session::connect_at(bench_clock::time_point when) {
  auto l = link();
  l->post([this, l, when] { l->at(3, when, [this] { start_link(); }); });
}

void phone_session::start_link() {
  link_started_ = true;
  link()->start(
      {[this] { on_open(); },
       [this](bool binary, std::string_view data) { on_message(binary, data); },
       [this](const std::string& why, int close_code) {
         on_closed(why, close_code);
       },
       [this](bool binary, std::size_t bytes) { on_written(binary, bytes); }});
}

void phone_session::on_written(bool binary, std::size_t bytes) {
  const bool measured = rec_.in_window(bench_clock::now());
  if (binary && measured)
    counters_.bytes_out += bytes;
  note_acked(measured);
}

// Bytes acknowledged since the previous look at this link count when
// `count` (the look is inside the window). Looks happen at each completed
// write and at both ends of the window (timer slot 2).
void phone_session::note_acked(bool count) {
  const auto v = link()->bytes_acked();
  if (v > acked_seen_ && count)
    counters_.bytes_acked += v - acked_seen_;
  acked_seen_ = std::max(acked_seen_, v);
}

void phone_session::arm_acked_sample() {
  const auto [begin, end] = rec_.window();
  const auto now = bench_clock::now();
  if (now < begin)
    link()->at(2, begin, [this] {
      note_acked(false); // what went before the window is not counted
      arm_acked_sample();
    });
  else if (now < end)
    link()->at(2, end, [this] { note_acked(true); });
}

void phone_session::on_open() {
  opened_ = true;
  close_requested_ = false;
  if (streaming_ && !cfg_.idle)
    arm_acked_sample(); // a reconnected link: its own window looks
  if (cfg_.send_init) {
    init_sent_at_ = bench_clock::now();
    link()->send_text(dialect_->init_message());
  } else
    counters_.ready = true;
}

void phone_session::on_message(bool binary, std::string_view data) {
  const auto now = bench_clock::now();
  auto ev = dialect_->on_message(binary, data);
  switch (ev.what) {
  case peer_event::kind::ready:
    if (!counters_.ready)
      rec_.record_init_answer(init_sent_at_, now, true);
    counters_.ready = true;
    ever_ready_ = true;
    if (auto down = tracker_.on_ready(now)) {
      counters_.recovered++;
      rec_.record_reconnect_ready(*down);
      if (stopping_)
        close_now();
      else if (streaming_ && pacer_)
        schedule_next(); // the frames due while down are skipped
    }
    break;
  case peer_event::kind::processed:
    if (auto down = tracker_.on_processed(now))
      rec_.record_reconnect_frame(*down);
    on_answer(ev.sequence, ev, data.size(), now);
    break;
  case peer_event::kind::error:
    counters_.errors++;
    rec_.record_error(ev.code);
    if (!counters_.ready) {
      if (!counters_.init_failed)
        rec_.record_init_answer(init_sent_at_, now, false);
      counters_.init_failed = true;
      counters_.broken = true;
      close_now();
    } else if (ev.sequence >= 0) {
      on_answer(ev.sequence, ev, 0, now);
    }
    break;
  case peer_event::kind::hint:
    counters_.hints++;
    rec_.record_hint(*ev.hint);
    if (cfg_.stream_hints)
      follow(*ev.hint);
    break;
  case peer_event::kind::pong:
    counters_.pongs++;
    if (ev.timestamp)
      rec_.record_latency(
          bench_clock::time_point{std::chrono::microseconds{*ev.timestamp}},
          now);
    break;
  default:
    break;
  }
}

// A hint replaces the previous one: the pacing changes from the next frame,
// the frames once their set is made (on the library's thread; until then
// the phone sends what it sent, as a phone switching encoders would).
void phone_session::follow(const stream_hint& h) {
  const auto s = follow_hint(h, cfg_.fps);
  hinted_fps_ = s.fps;
  if (pacer_)
    pacer_->set_fps(s.fps);
  if (cfg_.library) {
    want_frames_ = cfg_.library->normalize(s.frames);
    pick_frames();
  }
}

void phone_session::pick_frames() {
  if (want_frames_ == have_frames_ || !cfg_.library)
    return;
  if (const auto* set = cfg_.library->find(want_frames_)) {
    frames_ = set;
    have_frames_ = want_frames_;
  }
}

void phone_session::on_answer(std::int64_t sequence, const peer_event& ev,
                              std::size_t bytes, bench_clock::time_point now) {
  last_answered_ = std::max(last_answered_, sequence);
  if (const sent_frame* s = find_sent(sequence)) {
    const bool measured = rec_.in_window(s->at);
    if (ev.what == peer_event::kind::processed) {
      rec_.record_latency(s->at, now);
      counters_.processed_total++;
      if (measured) {
        counters_.processed++;
        counters_.dropped +=
            static_cast<std::uint64_t>(std::max<std::int64_t>(ev.dropped, 0));
        counters_.bytes_in += bytes;
        counters_.ai_time_us +=
            static_cast<std::uint64_t>(std::max(ev.processing_ms, 0.0) * 1000);
        counters_.confidence_milli +=
            static_cast<std::uint64_t>(std::max(ev.confidence, 0.0) * 1000);
      }
    } else if (measured) {
      counters_.failed++;
    }
  } else if (ev.what == peer_event::kind::processed) {
    counters_.unmatched++;
  }
  maybe_close();
}

void phone_session::on_closed(const std::string& why, int close_code) {
  const auto now = bench_clock::now();
  const bool was_open = opened_; // try_reconnect resets it
  if (cfg_.reconnect && relink_ && !stopping_ && ever_ready_ &&
      try_reconnect(close_code, now)) {
    rec_.record_error((was_open ? "RECONNECT (" : "RECONNECT_RETRY (") + why +
                      ")");
    return;
  }
  if (tracker_.lost() > counters_.lost.load()) {
    counters_.lost = tracker_.lost();
    rec_.record_error("RECONNECT_GAVE_UP (" + why + ")");
  }
  if (!opened_)
    rec_.record_error("CONNECT_FAILED (" + why + ")");
  else if (!stopping_)
    rec_.record_error("DISCONNECTED (" + why + ")");
  if (!opened_ || !stopping_)
    counters_.broken = true;
  stream_done_ = true;
  done_ = true;
}

// On the closed link's strand: schedules a fresh link; its events then run
// on its own strand (Asio orders this hand-over: start() posts).
bool phone_session::try_reconnect(int close_code, bench_clock::time_point now) {
  const bool attempt_failed = tracker_.down() && !opened_;
  auto when = attempt_failed ? tracker_.on_attempt_failed(now)
                             : tracker_.on_closed(close_code, now);
  counters_.outages = tracker_.outages();
  counters_.reconnect_attempts = tracker_.attempts();
  if (!when)
    return false;
  counters_.ready = false;
  opened_ = false;
  link_started_ = false;
  acked_seen_ = 0; // the next link counts from its own start
  auto fresh = relink_();
  {
    std::lock_guard<std::mutex> lock{link_mu_};
    link_ = fresh;
  }
  fresh->post([this, fresh, at = *when] {
    fresh->at(3, at, [this] { start_link(); });
  });
  // finish() may have posted to the link that just closed (which drops
  // it): run it on the fresh one instead (finish_on_strand runs once).
  if (finish_requested_)
    fresh->post([this] { finish_on_strand(); });
  return true;
}

void phone_session::begin(bench_clock::time_point t0,
                          bench_clock::time_point stop_at) {
  link()->post([this, t0, stop_at] {
    streaming_ = true;
    t0_ = t0;
    stop_at_ = stop_at;
    if (cfg_.idle) {
      std::mt19937_64 rng{cfg_.seed};
      std::uniform_int_distribution<std::int64_t> phase(
          0, std::max<std::int64_t>(cfg_.ping_interval.count() - 1, 0));
      auto first = t0 + std::chrono::milliseconds(phase(rng));
      link()->at(0, first, [this, first] {
        t0_ = first;
        send_ping();
      });
      return;
    }
    pacer_.emplace(cfg_.fps, cfg_.jitter, cfg_.seed);
    if (hinted_fps_) // a hint came before the first frame
      pacer_->set_fps(*hinted_fps_);
    ring_.assign(ring_size, sent_frame{});
    arm_acked_sample();
    schedule_next();
  });
}

void phone_session::schedule_next() {
  if (stopping_ || tracker_.down())
    return;
  auto when = t0_ + pacer_->next();
  if (cfg_.reconnect) { // back from an outage: no burst of overdue frames
    const auto now = bench_clock::now();
    while (when + std::chrono::milliseconds(100) < now && when < stop_at_)
      when = t0_ + pacer_->next();
  }
  if (when >= stop_at_) {
    stream_done_ = true;
    return;
  }
  link()->at(0, when, [this] { send_frame(); });
}

void phone_session::send_frame() {
  if (stopping_)
    return;
  const auto now = bench_clock::now();
  const bool measured = rec_.in_window(now);
  if (link()->backlog() > 0) { // the last frame is still being written
    if (measured)
      counters_.skipped++;
    return schedule_next();
  }
  const auto seq = next_seq_++;
  pick_frames();
  const auto& frames = *frames_;
  const auto& image = frames[static_cast<std::size_t>(seq) % frames.size()];
  auto msg = dialect_->encode_frame(seq, wall_ms(), image);
  ring_[static_cast<std::size_t>(seq) % ring_.size()] = {seq, now};
  last_sent_ = seq;
  link()->send_binary(std::move(msg.head), std::move(msg.body));
  counters_.sent_total++;
  if (measured) {
    counters_.sent++;
    if (cfg_.max_frames > 0 && ++window_frames_ >= cfg_.max_frames) {
      stream_done_ = true;
      return;
    }
  }
  schedule_next();
}

void phone_session::send_ping() {
  if (stopping_)
    return;
  if (auto ping = dialect_->ping_message(steady_us(bench_clock::now()));
      ping && link()->backlog() == 0)
    link()->send_text(std::move(*ping));
  const auto next = t0_ + cfg_.ping_interval;
  if (next >= stop_at_)
    return;
  t0_ = next;
  link()->at(0, next, [this] { send_ping(); });
}

void phone_session::finish() {
  finish_requested_ = true;
  link()->post([this] { finish_on_strand(); });
}

void phone_session::finish_on_strand() {
  if (finish_ran_)
    return;
  finish_ran_ = true;
  stopping_ = true;
  stream_done_ = true;
  if (tracker_.down()) { // still reconnecting at the end: not back
    counters_.lost++;
    rec_.record_error("RECONNECT_UNFINISHED");
    if (!link_started_) { // its start is only scheduled: no events come
      counters_.broken = true;
      done_ = true;
      link()->close();
      return;
    }
  }
  if (cfg_.idle || last_answered_ >= last_sent_ || tracker_.down())
    return close_now();
  link()->at(1, bench_clock::now() + cfg_.drain, [this] { close_now(); });
}

void phone_session::maybe_close() {
  if (stopping_ && last_answered_ >= last_sent_)
    close_now();
}

void phone_session::close_now() {
  if (close_requested_)
    return;
  close_requested_ = true;
  auto l = link();
  if (auto m = dialect_->close_message(); m && opened_)
    l->send_text(std::move(*m));
  l->close();
}

const phone_session::sent_frame*
phone_session::find_sent(std::int64_t sequence) const {
  if (sequence < 0 || ring_.empty())
    return nullptr;
  const auto& s = ring_[static_cast<std::size_t>(sequence) % ring_.size()];
  return s.sequence == sequence ? &s : nullptr;
}

} // namespace tryon::bench
