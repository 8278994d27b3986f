#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

namespace tryon::testing {

/// How long a test waits for something an actor should do soon.
constexpr std::chrono::milliseconds default_wait{3000};

/// A list that actor threads append to and the test reads: the test waits
/// for what it expects (bounded) instead of sleeping.
template <class T>
class waitable_log {
public:
  /// Appends `x` and wakes the waiters.
  void push(T x) {
    {
      std::lock_guard<std::mutex> lock{mu_};
      items_.push_back(std::move(x));
    }
    cv_.notify_all();
  }

  /// Waits until `pred(items)` holds; false on timeout.
  template <class Pred>
  bool wait_for(Pred pred, std::chrono::milliseconds timeout = default_wait) {
    std::unique_lock<std::mutex> lock{mu_};
    return cv_.wait_for(lock, timeout, [&] {
      return pred(static_cast<const std::vector<T>&>(items_));
    });
  }

  /// Waits until at least `n` items are there; false on timeout.
  bool wait_size(std::size_t n,
                 std::chrono::milliseconds timeout = default_wait) {
    return wait_for([n](const std::vector<T>& v) { return v.size() >= n; },
                    timeout);
  }

  /// A copy of the items so far.
  std::vector<T> snapshot() const {
    std::lock_guard<std::mutex> lock{mu_};
    return items_;
  }

  /// How many items so far.
  std::size_t size() const {
    std::lock_guard<std::mutex> lock{mu_};
    return items_.size();
  }

private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<T> items_;
};

} // namespace tryon::testing
