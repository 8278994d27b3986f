#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/lease_keeper.hpp"
#include "actors/ports.hpp"

namespace tryon::actors {

/// The session_gateway over the registry actor. With a lease store, it
/// takes the session's lease for this node before attaching (blocking: the
/// transport calls attach on its blocking pool).
class actor_gateway : public session_gateway {
public:
  /// `registry` runs make_session_registry.
  actor_gateway(caf::actor_system& sys, caf::actor registry,
                lease_config leases = {})
    : sys_(sys), registry_(std::move(registry)), leases_(std::move(leases)) {}

  std::shared_ptr<client_inbox>
  attach(const session_info& info, std::shared_ptr<client_peer> peer) override;

private:
  caf::actor_system& sys_;
  caf::actor registry_;
  lease_config leases_;
};

} // namespace tryon::actors
