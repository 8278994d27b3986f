#include "apps/node_shutdown.hpp"

#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/session_atoms.hpp"

namespace tryon::apps {

bool await_down(caf::actor_system& sys, const caf::actor& who,
                std::chrono::milliseconds deadline) {
  if (!who)
    return true;
  caf::scoped_actor self{sys};
  self->monitor(who);
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; },
                caf::after(deadline) >> [] {});
  return down;
}

namespace {

/// Sends shutdown_atom to `who` and waits for it to end.
bool stop(caf::actor_system& sys, const caf::actor& who,
          std::chrono::milliseconds deadline, const char* what) {
  if (!who)
    return true;
  caf::anon_send(who, actors::shutdown_atom::value);
  if (await_down(sys, who, deadline))
    return true;
  spdlog::warn("shutdown: {} did not finish in time", what);
  return false;
}

} // namespace

bool shutdown_actors(caf::actor_system& sys, const node_actors& a,
                     std::chrono::milliseconds budget) {
  bool ok = stop(sys, a.registry, budget / 2, "sessions");
  // After the sessions: their lease drops are queued before our shutdown.
  ok = stop(sys, a.leases, budget / 32, "lease keeper") && ok;
  ok = stop(sys, a.capture, budget / 4, "captures") && ok;
  ok = stop(sys, a.persister, budget / 16, "status writes") && ok;
  ok = stop(sys, a.stats, budget / 32, "stats supervisor") && ok;
  ok = stop(sys, a.sweeper, budget / 32, "expiry sweeper") && ok;
  if (a.orphans)
    ok = stop(sys, a.orphans, budget / 32, "orphan sweeper") && ok;
  if (a.ai_link) {
    caf::anon_send_exit(a.ai_link, caf::exit_reason::user_shutdown);
    ok = await_down(sys, a.ai_link, budget / 16) && ok;
  }
  return ok;
}

} // namespace tryon::apps
