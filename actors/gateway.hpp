#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/ports.hpp"

namespace tryon::actors {

/// The session_gateway over the registry actor.
class actor_gateway : public session_gateway {
public:
  /// `registry` runs make_session_registry.
  actor_gateway(caf::actor_system& sys, caf::actor registry)
    : sys_(sys), registry_(std::move(registry)) {}

  std::shared_ptr<client_inbox>
  attach(const session_info& info, std::shared_ptr<client_peer> peer) override;

private:
  caf::actor_system& sys_;
  caf::actor registry_;
};

} // namespace tryon::actors
