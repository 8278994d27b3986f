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
                             run_recorder& rec)
  : id_(std::move(id)), link_(std::move(link)), dialect_(std::move(d)),
    cfg_(cfg), rec_(rec) {}

void phone_session::connect_at(bench_clock::time_point when) {
  link_->post([this, when] {
    link_->at(3, when, [this] {
      link_->start({[this] { on_open(); },
                    [this](bool binary, std::string_view data) {
                      on_message(binary, data);
                    },
                    [this](const std::string& why) { on_closed(why); }});
    });
  });
}

void phone_session::on_open() {
  opened_ = true;
  if (cfg_.send_init) {
    init_sent_at_ = bench_clock::now();
    link_->send_text(dialect_->init_message());
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
    break;
  case peer_event::kind::processed:
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

void phone_session::on_closed(const std::string& why) {
  if (!opened_)
    rec_.record_error("CONNECT_FAILED (" + why + ")");
  else if (!stopping_)
    rec_.record_error("DISCONNECTED (" + why + ")");
  if (!opened_ || !stopping_)
    counters_.broken = true;
  stream_done_ = true;
  done_ = true;
}

void phone_session::begin(bench_clock::time_point t0,
                          bench_clock::time_point stop_at) {
  link_->post([this, t0, stop_at] {
    t0_ = t0;
    stop_at_ = stop_at;
    if (cfg_.idle) {
      std::mt19937_64 rng{cfg_.seed};
      std::uniform_int_distribution<std::int64_t> phase(
          0, std::max<std::int64_t>(cfg_.ping_interval.count() - 1, 0));
      auto first = t0 + std::chrono::milliseconds(phase(rng));
      link_->at(0, first, [this, first] {
        t0_ = first;
        send_ping();
      });
      return;
    }
    pacer_.emplace(cfg_.fps, cfg_.jitter, cfg_.seed);
    ring_.assign(ring_size, sent_frame{});
    schedule_next();
  });
}

void phone_session::schedule_next() {
  if (stopping_)
    return;
  const auto when = t0_ + pacer_->next();
  if (when >= stop_at_) {
    stream_done_ = true;
    return;
  }
  link_->at(0, when, [this] { send_frame(); });
}

void phone_session::send_frame() {
  if (stopping_)
    return;
  const auto now = bench_clock::now();
  const bool measured = rec_.in_window(now);
  if (link_->backlog() > 0) { // the last frame is still being written
    if (measured)
      counters_.skipped++;
    return schedule_next();
  }
  const auto seq = next_seq_++;
  const auto& frames = *cfg_.frames;
  const auto& image = frames[static_cast<std::size_t>(seq) % frames.size()];
  auto msg = dialect_->encode_frame(seq, wall_ms(), image);
  ring_[static_cast<std::size_t>(seq) % ring_.size()] = {seq, now};
  last_sent_ = seq;
  const auto size = msg.size();
  link_->send_binary(std::move(msg.head), std::move(msg.body));
  counters_.sent_total++;
  if (measured) {
    counters_.sent++;
    counters_.bytes_out += size;
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
      ping && link_->backlog() == 0)
    link_->send_text(std::move(*ping));
  const auto next = t0_ + cfg_.ping_interval;
  if (next >= stop_at_)
    return;
  t0_ = next;
  link_->at(0, next, [this] { send_ping(); });
}

void phone_session::finish() {
  link_->post([this] {
    stopping_ = true;
    stream_done_ = true;
    if (cfg_.idle || last_answered_ >= last_sent_)
      return close_now();
    link_->at(1, bench_clock::now() + cfg_.drain, [this] { close_now(); });
  });
}

void phone_session::maybe_close() {
  if (stopping_ && last_answered_ >= last_sent_)
    close_now();
}

void phone_session::close_now() {
  if (close_requested_)
    return;
  close_requested_ = true;
  if (auto m = dialect_->close_message(); m && opened_)
    link_->send_text(std::move(*m));
  link_->close();
}

const phone_session::sent_frame*
phone_session::find_sent(std::int64_t sequence) const {
  if (sequence < 0 || ring_.empty())
    return nullptr;
  const auto& s = ring_[static_cast<std::size_t>(sequence) % ring_.size()];
  return s.sequence == sequence ? &s : nullptr;
}

} // namespace tryon::bench
