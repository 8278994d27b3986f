#pragma once

#include <mutex>

#include "actors/ports.hpp"

namespace tryon::apps {

/// A session_gateway whose target is plugged in after construction (the
/// transport exists before the actors) and unplugged at shutdown, after
/// which attach() refuses new clients.
class deferred_gateway : public actors::session_gateway {
public:
  /// Sets or clears the gateway that attach() forwards to.
  void set(actors::session_gateway* target) {
    std::lock_guard<std::mutex> guard{mtx_};
    target_ = target;
  }

  std::shared_ptr<actors::client_inbox>
  attach(const actors::session_info& info,
         std::shared_ptr<actors::client_peer> peer) override {
    actors::session_gateway* target = nullptr;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      target = target_;
    }
    return target ? target->attach(info, std::move(peer)) : nullptr;
  }

private:
  std::mutex mtx_;
  actors::session_gateway* target_ = nullptr;
};

} // namespace tryon::apps
