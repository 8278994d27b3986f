#pragma once

#include <caf/fwd.hpp>

#include "actors/ports.hpp"

namespace tryon::actors {

/// Makes the actor system built from `cfg` run its scheduled actors on a
/// job_runner (the transport's I/O threads) instead of scheduler threads of
/// its own. A frame then goes network -> session actor -> network on the
/// thread that read it, without waking a second thread twice per frame.
///
/// Until a runner is attached, and after it is detached, actors run on one
/// thread of the scheduler's own (start-up, shutdown, tests). Detached
/// actors (blocking work) keep their own threads as always; CAF's timers
/// keep their clock thread.
void use_io_scheduler(caf::actor_system_config& cfg);

/// True if `sys` was built with use_io_scheduler().
bool uses_io_scheduler(caf::actor_system& sys);

/// Routes all scheduled actors of `sys` to `runner` from now on. Before
/// `sys` is destroyed, detach (attach nullptr), then stop the runner: it
/// runs or hands back what it still holds (handed-back jobs run on the
/// scheduler's own thread). No-op unless uses_io_scheduler(sys).
void attach_job_runner(caf::actor_system& sys, job_runner* runner);

/// attach_job_runner for a scope: attaches on construction, detaches in
/// detach() or at the latest when destroyed. Declared after the runner's
/// owner, it detaches before the runner goes, however the scope ends.
class job_runner_attachment {
public:
  job_runner_attachment(caf::actor_system& sys, job_runner& runner);
  ~job_runner_attachment();
  job_runner_attachment(const job_runner_attachment&) = delete;
  job_runner_attachment& operator=(const job_runner_attachment&) = delete;

  void detach();

private:
  caf::actor_system* sys_;
};

} // namespace tryon::actors
