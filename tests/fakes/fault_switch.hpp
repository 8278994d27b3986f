#pragma once

#include <atomic>
#include <string>

#include "persistence/store_error.hpp"

namespace tryon::fakes {

/// A switch that makes a fake throw store_error from every call, as a
/// database or disk outage would.
class fault_switch {
public:
  /// Turns injected failures on or off (thread-safe).
  void set_failing(bool on) noexcept { failing_ = on; }

  /// Whether failures are being injected.
  bool failing() const noexcept { return failing_; }

  /// How many calls reached the fake (failed ones included).
  int calls() const noexcept { return calls_; }

protected:
  /// Counts the call; throws when failing.
  void check(const char* what) const {
    ++calls_;
    if (failing_)
      throw persistence::store_error(std::string("injected failure: ") + what);
  }

private:
  std::atomic<bool> failing_{false};
  mutable std::atomic<int> calls_{0};
};

} // namespace tryon::fakes
