#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace tryon::actors {

// clang-format off
/// AI credits of one AI channel, as plain logic (no actors, no sockets) so
/// it can be tested step by step: at most `capacity` frames in flight on
/// the channel across all its sessions (0: no limit, today's behaviour).
///
///   session --acquire--> [slot free?] --yes--> frame goes to the AI
///                              | no
///                              v
///                     [waiters, FIFO] <--release: the oldest waiter gets
///                                        the freed slot (returned to the
///                                        caller, who wakes it)
///
/// A session that waits keeps its newest frame at home (frame_pipeline),
/// where a newer one still replaces it: the AI always gets the freshest
/// frame each phone has sent. Waiters are served oldest first, so a freed
/// slot goes round the sessions in turn. A slot handed to a waiter stays
/// counted until that waiter releases it, or cancels (it ended, or moved to
/// another channel, before it heard of the slot).
///
/// Thread-safe: sessions run on any actor thread. Wake-ups are returned,
/// not sent, so no message is sent under the lock.
// clang-format on
template <class Waiter>
class credit_gate {
public:
  /// Frames in flight at most; 0 lifts the limit. Returns the waiters that
  /// now hold a slot (a larger capacity, or none at all).
  std::vector<Waiter> set_capacity(std::size_t capacity) {
    std::lock_guard<std::mutex> lock{mu_};
    capacity_ = capacity;
    std::vector<Waiter> woken;
    while (!waiters_.empty() && has_room()) {
      woken.push_back(std::move(waiters_.front()));
      waiters_.pop_front();
      ++in_use_;
    }
    return woken;
  }

  /// Takes a slot for `w` (which is not waiting already): true if it has
  /// one now; false if it was queued (it will be woken with one). A slot is
  /// never taken past older waiters.
  bool acquire(const Waiter& w) {
    std::lock_guard<std::mutex> lock{mu_};
    if (waiters_.empty() && has_room()) {
      ++in_use_;
      return true;
    }
    waiters_.push_back(w);
    ++waits_;
    return false;
  }

  /// Gives a slot back: its frame was answered, failed or lost. Returns the
  /// waiter that gets it, if any.
  std::optional<Waiter> release() {
    std::lock_guard<std::mutex> lock{mu_};
    if (in_use_ > 0)
      --in_use_;
    if (waiters_.empty() || !has_room())
      return std::nullopt;
    Waiter next = std::move(waiters_.front());
    waiters_.pop_front();
    ++in_use_;
    return next;
  }

  /// `w`, which was waiting, no longer wants a slot. If it was handed one
  /// already (its wake-up is on the way), that slot goes back: the waiter
  /// that gets it is returned.
  std::optional<Waiter> cancel(const Waiter& w) {
    {
      std::lock_guard<std::mutex> lock{mu_};
      auto it = std::find(waiters_.begin(), waiters_.end(), w);
      if (it != waiters_.end()) {
        waiters_.erase(it);
        return std::nullopt;
      }
    }
    return release();
  }

  /// Figures for the link's stats.
  struct figures {
    std::size_t capacity = 0; ///< 0: no limit
    std::size_t in_use = 0;   ///< slots held (frames in flight)
    std::size_t waiting = 0;  ///< sessions waiting for a slot
    std::uint64_t waits = 0;  ///< acquires that had to wait, ever
  };
  figures snapshot() const {
    std::lock_guard<std::mutex> lock{mu_};
    return {capacity_, in_use_, waiters_.size(), waits_};
  }

private:
  bool has_room() const { return capacity_ == 0 || in_use_ < capacity_; }

  mutable std::mutex mu_;
  std::size_t capacity_ = 0;
  std::size_t in_use_ = 0;
  std::deque<Waiter> waiters_;
  std::uint64_t waits_ = 0;
};

} // namespace tryon::actors
