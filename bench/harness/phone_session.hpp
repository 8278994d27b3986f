#pragma once

#include "bench/harness/dialect.hpp"
#include "bench/harness/frame_generator.hpp"
#include "bench/harness/pacer.hpp"
#include "bench/harness/reconnect_tracker.hpp"
#include "bench/harness/run_recorder.hpp"
#include "bench/harness/ws_link.hpp"

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tryon::bench {

/// How a phone behaves once its session is open.
struct phone_config {
  bool idle = false;            ///< ping only, no frames
  bool send_init = true;        ///< send the dialect's init message
  double fps = 25;              ///< streaming rate
  double jitter = 0.15;         ///< fraction of the period
  std::uint64_t seed = 1;       ///< pacing randomness
  std::uint64_t max_frames = 0; ///< measured frames; 0 = no limit
  std::chrono::milliseconds ping_interval{10000};
  std::chrono::milliseconds drain{3000};
  const std::vector<frame_image>* frames = nullptr;
  /// Follow stream hints (the dialect asked for them): pacing at most the
  /// hinted fps, frames from `library` at the hinted quality and width.
  bool stream_hints = false;
  frame_library* library = nullptr; ///< required with stream_hints
  /// Reconnect mode: after a 4009/1012/1001 close or a drop without a
  /// close frame, open a new link (same URL) and re-init the session.
  bool reconnect = false;
  /// Reconnect mode: an outage not over (session_ready again) within this
  /// is given up on and counted as lost.
  std::chrono::milliseconds reconnect_within{10000};
};

/// Makes a fresh link to the same URL (reconnect mode).
using link_factory = std::function<std::shared_ptr<ws_link>()>;

/// One simulated phone: opens its session, then streams frames at a
/// jittered rate (or pings), and accounts for every reply. All of its
/// work runs on its link's strand; counters are atomic.
class phone_session {
public:
  /// Drives `link` with `d`, reporting into `rec`; `relink` makes the
  /// links of reconnect mode (required when cfg.reconnect).
  phone_session(std::string id, std::shared_ptr<ws_link> link,
                std::unique_ptr<dialect> d, phone_config cfg, run_recorder& rec,
                link_factory relink = {});

  /// Connects at `when` (then sends the init message).
  void connect_at(bench_clock::time_point when);

  /// Streams (or pings) from `t0` until `stop_at` (any thread).
  void begin(bench_clock::time_point t0, bench_clock::time_point stop_at);

  /// Stops sending, waits for outstanding replies (at most the drain
  /// time), then closes (any thread).
  void finish();

  /// The session id.
  const std::string& id() const { return id_; }

  /// Its counters.
  const session_counters& counters() const { return counters_; }

  /// The link is closed (or never opened).
  bool done() const { return done_.load(); }

  /// It stopped sending (frame limit, stop time or finish()).
  bool stream_done() const { return stream_done_.load(); }

private:
  struct sent_frame {
    std::int64_t sequence = -1;
    bench_clock::time_point at;
  };

  void start_link();
  void on_open();
  void on_message(bool binary, std::string_view data);
  void on_closed(const std::string& why, int close_code);
  void on_written(bool binary, std::size_t bytes);
  void follow(const stream_hint& h);
  void pick_frames();
  void note_acked(bool count);
  void arm_acked_sample();
  bool try_reconnect(int close_code, bench_clock::time_point now);
  void finish_on_strand();
  std::shared_ptr<ws_link> link() const;
  void schedule_next();
  void send_frame();
  void send_ping();
  void on_answer(std::int64_t sequence, const peer_event& ev, std::size_t bytes,
                 bench_clock::time_point now);
  void maybe_close();
  void close_now();
  const sent_frame* find_sent(std::int64_t sequence) const;

  std::string id_;
  // Replaced on the strand in reconnect mode, read from any thread.
  mutable std::mutex link_mu_;
  std::shared_ptr<ws_link> link_;
  link_factory relink_;
  reconnect_tracker tracker_;
  bool streaming_ = false; ///< begin() ran (frames or pings are due)
  bool ever_ready_ = false;
  bool link_started_ = false; ///< start() was called on the current link
  bool finish_ran_ = false;
  std::atomic<bool> finish_requested_{false};
  std::unique_ptr<dialect> dialect_;
  phone_config cfg_;
  run_recorder& rec_;
  session_counters counters_;
  std::optional<pacer> pacer_;
  const std::vector<frame_image>* frames_; ///< the set frames come from
  frame_key want_frames_;                  ///< what the last hint asks
  frame_key have_frames_;                  ///< what frames_ holds
  std::optional<double> hinted_fps_;
  std::vector<sent_frame> ring_; ///< send times by sequence % size
  bench_clock::time_point t0_{};
  bench_clock::time_point stop_at_{};
  std::int64_t next_seq_ = 1;
  std::int64_t last_sent_ = 0;
  std::int64_t last_answered_ = 0;
  std::uint64_t window_frames_ = 0;
  std::uint64_t acked_seen_ = 0; ///< the current link's last bytes_acked()
  bool stopping_ = false;
  bool opened_ = false;
  bench_clock::time_point init_sent_at_; ///< when the init message went
  bool close_requested_ = false;
  std::atomic<bool> done_{false};
  std::atomic<bool> stream_done_{false};
};

} // namespace tryon::bench
