#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "protocol/server_message.hpp"

namespace tryon::actors {

/// Settings of the stream hints (docs/stream_hints.md).
struct hinter_config {
  /// The full rate (session_ready's target_fps).
  int target_fps = 25;
  /// What the phone is asked for as its uplink gets worse, best first: each
  /// step costs fewer bytes per second. Level 0 is "as session_ready said".
  std::vector<protocol::stream_suggestion> ladder{
      {25, 80, 1280}, {20, 70, 1280}, {15, 60, 1280}, {12, 50, 960},
      {10, 45, 960},  {8, 40, 640},   {6, 35, 640},
  };
  /// Figures are taken over windows this long.
  std::int64_t window_ms = 1000;
  /// At most one change (and so one hint) this often.
  std::int64_t min_interval_ms = 2000;
  /// Frames queue on the way (arrival delay above its floor): step down.
  std::int64_t queue_high_ms = 200;
  /// Below this for `recover_ms`: step back up.
  std::int64_t queue_low_ms = 60;
  std::int64_t recover_ms = 5000;
  /// Share of accepted frames dropped as stale above which the AI (or the
  /// phone's downlink) is the bottleneck; below `ai_drop_low` for
  /// `recover_ms`, the rate is raised again.
  double ai_drop_high = 0.15;
  double ai_drop_low = 0.03;
  /// Suggested rate when AI-bound: the frames the session got processed,
  /// times this (so a freed slot still finds a frame waiting).
  double ai_headroom = 1.2;
  /// How many windows the delay floor looks back (clock offsets cancel
  /// out: only the growth of the delay counts).
  std::size_t floor_windows = 10;
};

/// Decides the `stream_hint` messages of one session, as plain logic fed
/// with what the session actor sees (no actors, no clock of its own).
///
/// Uplink: the one-way delay of each frame (server arrival minus the
/// phone's capture `timestamp`, so the clocks' offset is a constant) is
/// compared with its floor over the last windows: a median more than
/// `queue_high_ms` above the floor means frames queue on the way (the
/// uplink carries less than the phone sends), and the phone is moved one
/// step down the ladder (fewer bytes per second: lower rate, quality,
/// width). A queue that no longer grows is draining: no further step.
/// Calm for `recover_ms`, it moves one step back up.
///
/// AI share: when more than `ai_drop_high` of the frames accepted in a
/// window were dropped as stale, the phone sends more than it gets
/// processed; it is asked for what it got processed plus headroom. Calm
/// for `recover_ms`, the rate is raised by a quarter (at least 2 fps),
/// probing for a larger share.
///
/// Hysteresis: a change at most every `min_interval_ms`, and only a
/// changed suggestion is sent.
class stream_hinter {
public:
  explicit stream_hinter(hinter_config cfg = {});

  /// A frame arrived at `now_ms` (server wall clock), captured at
  /// `captured_ms` by the phone's clock, if its header said.
  void on_frame(std::int64_t now_ms, std::optional<std::int64_t> captured_ms);

  /// A hint to send, with its reason ("ai", "uplink", "clear").
  struct hint {
    protocol::stream_suggestion suggestion;
    std::string reason;
  };

  /// Closes the window when it is due; `accepted`, `delivered` and
  /// `dropped` are the session's totals so far. Returns a hint when the
  /// suggestion changed.
  std::optional<hint> tick(std::int64_t now_ms, std::uint64_t accepted,
                           std::uint64_t delivered, std::uint64_t dropped);

  /// The suggestion in force (the last sent, or level 0).
  const protocol::stream_suggestion& current() const { return sent_; }

  /// The hint in force, unless it is "as session_ready said": what a client
  /// that re-inits (and so resets to session_ready's config) is told again.
  std::optional<hint> in_force() const;

private:
  std::optional<hint> close_window(std::int64_t now_ms, double seconds,
                                   std::uint64_t accepted,
                                   std::uint64_t delivered,
                                   std::uint64_t dropped);
  void judge_uplink(std::int64_t now_ms);
  void judge_ai(std::int64_t now_ms, double seconds, std::uint64_t accepted,
                std::uint64_t delivered, std::uint64_t dropped);

  hinter_config cfg_;
  std::optional<std::int64_t> window_start_;
  std::vector<std::int64_t> delays_; ///< this window's one-way delays
  std::deque<std::int64_t> floors_;  ///< per window: its least delay
  std::optional<std::int64_t> last_queue_ms_;
  std::uint64_t accepted_ = 0, delivered_ = 0, dropped_ = 0; ///< at start
  std::size_t level_ = 0;
  int ai_fps_;
  std::int64_t last_change_ms_ = 0;
  std::int64_t uplink_calm_since_ = 0;
  std::int64_t ai_calm_since_ = 0;
  protocol::stream_suggestion sent_;
  protocol::stream_suggestion initial_;
  std::string sent_reason_ = "clear";
};

} // namespace tryon::actors
