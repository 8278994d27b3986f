#include "actors/io_scheduler.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/detail/set_thread_name.hpp>
#include <caf/detail/thread_safe_actor_clock.hpp>
#include <caf/execution_unit.hpp>
#include <caf/resumable.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>

namespace tryon::actors {

namespace {

/// CAF's scheduler module, replaced: each job (an actor with mail) is
/// posted to the attached job_runner, or queued for the fallback thread
/// when none is attached.
class io_coordinator final : public caf::scheduler::abstract_coordinator {
public:
  explicit io_coordinator(caf::actor_system& sys)
    : abstract_coordinator(sys), unit_(this) {}

  void attach(job_runner* runner) {
    // Held while posting (enqueue), so that once this returns nothing is
    // posted to the previous runner any more.
    std::lock_guard<std::mutex> guard{mu_};
    runner_ = runner;
  }

  void enqueue(caf::resumable* job) override {
    {
      std::lock_guard<std::mutex> guard{mu_};
      if (runner_) {
        runner_->post(&run_job, this, job);
        return;
      }
      if (stopped_) {
        // Nothing runs jobs any more (CAF's own schedulers do the same
        // with what is left in their queues at stop).
        cleanup_and_release(job);
        return;
      }
      fallback_.push_back(job);
    }
    fallback_cv_.notify_one();
  }

  caf::detail::thread_safe_actor_clock& clock() noexcept override {
    return clock_;
  }

  void start() override {
    clock_thread_ = std::thread{[this] {
      caf::detail::set_thread_name("caf.clock");
      system().thread_started();
      clock_.run_dispatch_loop();
      system().thread_terminates();
    }};
    fallback_thread_ = std::thread{[this] {
      caf::detail::set_thread_name("caf.fallback");
      system().thread_started();
      run_fallback();
      system().thread_terminates();
    }};
    abstract_coordinator::start(); // spawns the (detached) printer actor
  }

  void stop() override {
    attach(nullptr);
    stop_actors();
    clock_.cancel_dispatch_loop();
    clock_thread_.join();
    {
      std::lock_guard<std::mutex> guard{mu_};
      stopping_ = true;
    }
    fallback_cv_.notify_one();
    fallback_thread_.join();
    std::deque<caf::resumable*> left;
    {
      std::lock_guard<std::mutex> guard{mu_};
      stopped_ = true;
      left.swap(fallback_);
    }
    for (auto* job : left)
      cleanup_and_release(job);
  }

private:
  /// What an actor job needs from the thread that runs it.
  class unit final : public caf::execution_unit {
  public:
    explicit unit(io_coordinator* owner)
      : caf::execution_unit(&owner->system()), owner_(owner) {}
    void exec_later(caf::resumable* job) override { owner_->enqueue(job); }

  private:
    io_coordinator* owner_;
  };

  static void run_job(void* owner, void* job, bool run) {
    auto* self = static_cast<io_coordinator*>(owner);
    auto* ptr = static_cast<caf::resumable*>(job);
    if (run)
      self->resume(ptr);
    else
      self->enqueue(ptr); // handed back by a transport being torn down
  }

  /// One turn of a job, as CAF's workers do it: the scheduler holds one
  /// reference to a queued job and drops it once the job has no mail left.
  void resume(caf::resumable* job) {
    switch (job->resume(&unit_, max_throughput())) {
    case caf::resumable::resume_later:
      enqueue(job);
      break;
    case caf::resumable::done:
    case caf::resumable::awaiting_message:
      intrusive_ptr_release(job);
      break;
    case caf::resumable::shutdown_execution_unit:
      break; // only CAF's own schedulers send this job
    }
  }

  void run_fallback() {
    std::unique_lock<std::mutex> lock{mu_};
    for (;;) {
      fallback_cv_.wait(lock,
                        [this] { return stopping_ || !fallback_.empty(); });
      if (fallback_.empty())
        return; // stopping, and nothing left to run
      auto* job = fallback_.front();
      fallback_.pop_front();
      lock.unlock();
      resume(job);
      lock.lock();
    }
  }

  unit unit_;
  caf::detail::thread_safe_actor_clock clock_;
  std::thread clock_thread_;
  std::thread fallback_thread_;
  std::mutex mu_;
  std::condition_variable fallback_cv_;
  job_runner* runner_ = nullptr;
  std::deque<caf::resumable*> fallback_;
  bool stopping_ = false;
  bool stopped_ = false;
};

} // namespace

void use_io_scheduler(caf::actor_system_config& cfg) {
  cfg.module_factories.push_back(
      [](caf::actor_system& sys) -> caf::actor_system::module* {
        return new io_coordinator(sys);
      });
}

bool uses_io_scheduler(caf::actor_system& sys) {
  return dynamic_cast<io_coordinator*>(&sys.scheduler()) != nullptr;
}

void attach_job_runner(caf::actor_system& sys, job_runner* runner) {
  if (auto* c = dynamic_cast<io_coordinator*>(&sys.scheduler()))
    c->attach(runner);
}

job_runner_attachment::job_runner_attachment(caf::actor_system& sys,
                                             job_runner& runner)
  : sys_(&sys) {
  attach_job_runner(sys, &runner);
}

job_runner_attachment::~job_runner_attachment() {
  detach();
}

void job_runner_attachment::detach() {
  if (sys_)
    attach_job_runner(*std::exchange(sys_, nullptr), nullptr);
}

} // namespace tryon::actors
