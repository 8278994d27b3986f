#pragma once

#include <mutex>
#include <string>

#include "persistence/health_probe.hpp"

namespace tryon::fakes {

/// A health_probe whose answer the test sets.
class fake_health_probe final : public persistence::health_probe {
public:
  /// Makes ping() answer `ok`, with `detail` when not ok.
  void set(bool ok, std::string detail = "down") {
    std::lock_guard<std::mutex> guard{mu_};
    ok_ = ok;
    detail_ = std::move(detail);
  }

  /// See health_probe.
  bool ping(std::string& detail) noexcept override {
    std::lock_guard<std::mutex> guard{mu_};
    if (!ok_)
      detail = detail_;
    return ok_;
  }

private:
  std::mutex mu_;
  bool ok_ = true;
  std::string detail_;
};

} // namespace tryon::fakes
