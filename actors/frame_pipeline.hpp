#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace tryon::actors {

// clang-format off
/// The stale-frame policy of one session, as plain logic (no actors, no
/// sockets) so it can be tested step by step.
///
///   client --> [waiting] --> [in flight] --> AI service
///               1 slot        1 slot             |
///                                                v
///   client <-- [writing] <-- [out waiting] <-----+
///               1 slot        1 slot
///
/// A newer frame replaces the waiting one (dropped); a newer result replaces
/// the one waiting for the client (dropped); a result whose sequence is not
/// above the last delivered one (or the one waiting) is dropped. Every
/// accepted frame ends up either delivered or dropped, exactly once.
///
/// With AI credits (credit_gate.hpp) the AI slot may be free and yet not
/// usable: the session passes `may_send = false` and the frame waits (still
/// replaceable) until the session has a credit and calls release().
// clang-format on
template <class Frame, class Result>
class frame_pipeline {
public:
  /// A frame to send to the AI service now.
  struct dispatch {
    std::int64_t sequence;
    Frame frame;
  };

  /// Accepts a client frame; returns it when the AI slot is free (and
  /// `may_send`).
  std::optional<dispatch> on_frame(std::int64_t sequence, Frame frame,
                                   bool may_send = true) {
    ++accepted_;
    if (!in_flight_ && may_send) {
      in_flight_ = sequence;
      return dispatch{sequence, std::move(frame)};
    }
    if (waiting_)
      drop();
    waiting_.emplace(dispatch{sequence, std::move(frame)});
    return std::nullopt;
  }

  /// The AI answered `sequence`; returns the next frame for the AI, if any
  /// (and `may_send`). The result, unless stale, becomes deliverable (see
  /// take_delivery()).
  std::optional<dispatch> on_result(std::int64_t sequence, Result result,
                                    bool may_send = true) {
    if (!in_flight_ || *in_flight_ != sequence)
      return std::nullopt; // late answer after a timeout: already counted
    in_flight_.reset();
    bool stale = (last_delivered_ && sequence <= *last_delivered_) ||
                 (out_waiting_ && sequence <= out_waiting_seq_);
    if (stale) {
      drop();
    } else {
      if (out_waiting_)
        drop();
      out_waiting_.emplace(std::move(result));
      out_waiting_seq_ = sequence;
    }
    return may_send ? next_dispatch() : std::nullopt;
  }

  /// The AI failed `sequence` (error or timeout); returns the next frame
  /// (if `may_send`).
  std::optional<dispatch> on_failure(std::int64_t sequence,
                                     bool may_send = true) {
    if (!in_flight_ || *in_flight_ != sequence)
      return std::nullopt;
    in_flight_.reset();
    drop();
    return may_send ? next_dispatch() : std::nullopt;
  }

  /// The waiting frame, now in flight, if nothing is in flight yet: the
  /// session got its credit.
  std::optional<dispatch> release() {
    if (in_flight_)
      return std::nullopt;
    return next_dispatch();
  }

  /// A frame waits for the AI.
  bool frame_waiting() const { return waiting_.has_value(); }

  /// A result to write to the client now, if the client is not busy.
  /// `dropped` receives the drops since the previous delivery.
  std::optional<Result> take_delivery(std::int64_t& dropped) {
    if (writing_ || !out_waiting_)
      return std::nullopt;
    writing_ = true;
    last_delivered_ = out_waiting_seq_;
    ++delivered_;
    dropped = dropped_since_delivery_;
    dropped_since_delivery_ = 0;
    auto r = std::move(*out_waiting_);
    out_waiting_.reset();
    return r;
  }

  /// The client finished writing the last delivery.
  void on_written() { writing_ = false; }

  /// Frames shed before reaching the pipeline count as accepted and dropped.
  void on_shed(std::uint64_t n) {
    accepted_ += n;
    for (std::uint64_t i = 0; i < n; ++i)
      drop();
  }

  /// A result waits for the client's writer.
  bool result_waiting() const { return out_waiting_.has_value(); }

  /// The sequence in flight to the AI, if any.
  std::optional<std::int64_t> in_flight() const { return in_flight_; }

  /// Frames accepted so far.
  std::uint64_t accepted() const { return accepted_; }

  /// Frames delivered to the client so far.
  std::uint64_t delivered() const { return delivered_; }

  /// Frames dropped so far.
  std::uint64_t dropped() const { return dropped_; }

  /// Whether anything is waiting or in flight (for draining).
  bool idle() const {
    return !in_flight_ && !waiting_ && !out_waiting_ && !writing_;
  }

private:
  void drop() {
    ++dropped_;
    ++dropped_since_delivery_;
  }

  std::optional<dispatch> next_dispatch() {
    if (!waiting_)
      return std::nullopt;
    auto d = std::move(*waiting_);
    waiting_.reset();
    in_flight_ = d.sequence;
    return d;
  }

  std::optional<std::int64_t> in_flight_;
  std::optional<dispatch> waiting_;
  std::optional<Result> out_waiting_;
  std::int64_t out_waiting_seq_ = 0;
  std::optional<std::int64_t> last_delivered_;
  bool writing_ = false;
  std::uint64_t accepted_ = 0;
  std::uint64_t delivered_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t dropped_since_delivery_ = 0;
};

} // namespace tryon::actors
