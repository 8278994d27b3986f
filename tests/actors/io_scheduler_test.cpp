// actors/io_scheduler: scheduled actors run on an attached job_runner, on
// the scheduler's own thread before and after, and no job is lost when the
// runner hands queued jobs back. The runner here is a plain thread with a
// queue (net/io_job_runner's own test covers the Asio one).

#include "actors/io_scheduler.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <tuple>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

using namespace tryon;
using namespace std::chrono_literals;

namespace {

using where_atom = caf::atom_constant<caf::atom("where")>;
using later_atom = caf::atom_constant<caf::atom("later")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;

std::uint64_t this_thread_tag() {
  return std::hash<std::thread::id>{}(std::this_thread::get_id());
}

/// Answers `where` with the thread it runs on; `later` does the same
/// `delay` later, through a timer (CAF's clock thread, then the scheduler).
caf::behavior locator(caf::event_based_actor* self,
                      std::chrono::milliseconds delay) {
  auto waiting = std::make_shared<std::vector<caf::response_promise>>();
  return {
      [](where_atom) { return this_thread_tag(); },
      [self, waiting, delay](later_atom) {
        waiting->push_back(self->make_response_promise());
        self->delayed_send(self, delay, tick_atom::value);
        return waiting->back();
      },
      [waiting](tick_atom) {
        for (auto& rp : *waiting)
          rp.deliver(this_thread_tag());
        waiting->clear();
      },
  };
}

/// A job_runner on one thread of its own. While paused it only queues;
/// destroyed with jobs queued, it hands them back as a transport does.
class thread_runner final : public actors::job_runner {
public:
  explicit thread_runner(bool paused = false)
    : paused_(paused), thread_([this] { loop(); }),
      tag_(std::hash<std::thread::id>{}(thread_.get_id())) {}

  ~thread_runner() override {
    {
      std::lock_guard<std::mutex> guard{mu_};
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
    for (auto& [fn, owner, job] : queue_)
      fn(owner, job, false);
  }

  void post(job_fn fn, void* owner, void* job) override {
    {
      std::lock_guard<std::mutex> guard{mu_};
      queue_.emplace_back(fn, owner, job);
      ++posts_;
    }
    cv_.notify_one();
  }

  std::uint64_t tag() const { return tag_; }

  void unpause() {
    {
      std::lock_guard<std::mutex> guard{mu_};
      paused_ = false;
    }
    cv_.notify_one();
  }

  int posts() {
    std::lock_guard<std::mutex> guard{mu_};
    return posts_;
  }

private:
  void loop() {
    std::unique_lock<std::mutex> lock{mu_};
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || (!paused_ && !queue_.empty()); });
      if (stop_)
        return;
      auto [fn, owner, job] = queue_.front();
      queue_.pop_front();
      lock.unlock();
      fn(owner, job, true);
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::tuple<job_fn, void*, void*>> queue_;
  bool paused_;
  bool stop_ = false;
  int posts_ = 0;
  std::thread thread_;
  std::uint64_t tag_;
};

caf::actor_system_config& io_config(caf::actor_system_config& cfg) {
  actors::use_io_scheduler(cfg);
  return cfg;
}

class IoSchedulerTest : public ::testing::Test {
protected:
  IoSchedulerTest() : sys(io_config(cfg)), self(sys) {
    actor = sys.spawn(locator, 20ms);
    // An actor with mail is scheduled once and handles what arrives until
    // its mailbox is empty; only its next message after that is a new job.
    // Answered, then given time to finish its turn, it is idle.
    EXPECT_NE(ask(where_atom::value), 0u);
    std::this_thread::sleep_for(20ms);
  }
  ~IoSchedulerTest() override {
    actors::attach_job_runner(sys, nullptr);
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  }

  /// The thread `msg` was answered on; 0 if no answer within 5 s.
  template <class Atom>
  std::uint64_t ask(Atom msg) {
    std::uint64_t where = 0;
    self->request(actor, 5s, msg)
        .receive([&](std::uint64_t t) { where = t; }, [](caf::error&) {});
    return where;
  }

  /// Asks until an answer comes from `thread`: a turn begun on another
  /// thread ends there. False if it never does.
  bool settles_on(std::uint64_t thread) {
    for (int i = 0; i < 100; ++i)
      if (ask(where_atom::value) == thread)
        return true;
    return false;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys;
  caf::scoped_actor self;
  caf::actor actor;
};

} // namespace

TEST_F(IoSchedulerTest, IsTheSchedulerOfSystemsThatAskForIt) {
  EXPECT_TRUE(actors::uses_io_scheduler(sys));
  caf::actor_system_config plain_cfg;
  caf::actor_system plain{plain_cfg};
  EXPECT_FALSE(actors::uses_io_scheduler(plain));
  // Attaching to a system with CAF's own scheduler changes nothing.
  thread_runner runner;
  actors::attach_job_runner(plain, &runner);
  caf::scoped_actor s{plain};
  auto a = plain.spawn(locator, 20ms);
  std::uint64_t where = 0;
  s->request(a, 5s, where_atom::value)
      .receive([&](std::uint64_t t) { where = t; }, [](caf::error&) {});
  EXPECT_NE(where, 0u);
  EXPECT_NE(where, runner.tag());
  EXPECT_EQ(runner.posts(), 0);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

TEST_F(IoSchedulerTest, RunsActorsOnItsOwnThreadUntilARunnerIsAttached) {
  auto where = ask(where_atom::value);
  EXPECT_NE(where, 0u);
  EXPECT_NE(where, this_thread_tag());
}

TEST_F(IoSchedulerTest, RunsActorsOnTheAttachedRunner) {
  thread_runner runner;
  actors::attach_job_runner(sys, &runner);
  ASSERT_TRUE(settles_on(runner.tag()));
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(ask(where_atom::value), runner.tag()) << "message " << i;
  // Fewer jobs than messages: a message that arrives while the actor is
  // still in its turn is handled in that turn.
  EXPECT_GT(runner.posts(), 0);
  actors::attach_job_runner(sys, nullptr);
}

TEST_F(IoSchedulerTest, TimersFireIntoTheRunner) {
  thread_runner runner;
  actors::attach_job_runner(sys, &runner);
  // The tick comes 20 ms after `later`, to an idle actor: a new job.
  EXPECT_EQ(ask(later_atom::value), runner.tag());
  actors::attach_job_runner(sys, nullptr);
}

TEST_F(IoSchedulerTest, DetachingMovesActorsBackToTheOwnThread) {
  auto own = ask(where_atom::value);
  {
    thread_runner runner;
    actors::attach_job_runner(sys, &runner);
    ASSERT_TRUE(settles_on(runner.tag()));
    actors::attach_job_runner(sys, nullptr);
    auto posts = runner.posts();
    ASSERT_TRUE(settles_on(own));
    for (int i = 0; i < 20; ++i)
      ASSERT_EQ(ask(where_atom::value), own) << "message " << i;
    EXPECT_EQ(runner.posts(), posts); // nothing more went to the runner
  }
  EXPECT_EQ(ask(where_atom::value), own);
}

TEST_F(IoSchedulerTest, AnAttachmentDetachesWhenItEnds) {
  auto own = ask(where_atom::value);
  thread_runner runner;
  {
    actors::job_runner_attachment attached{sys, runner};
    ASSERT_TRUE(settles_on(runner.tag()));
  }
  auto posts = runner.posts();
  ASSERT_TRUE(settles_on(own));
  EXPECT_EQ(runner.posts(), posts);
}

TEST_F(IoSchedulerTest, JobsHandedBackByARunnerStillRun) {
  // The runner queues but never runs: like an I/O context stopped with an
  // actor's job still in its queue.
  auto runner = std::make_unique<thread_runner>(/*paused=*/true);
  actors::attach_job_runner(sys, runner.get());
  self->send(actor, where_atom::value);
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(runner->posts(), 1);
  actors::attach_job_runner(sys, nullptr);
  runner.reset(); // hands the queued job back
  std::uint64_t where = 0;
  self->receive([&](std::uint64_t t) { where = t; }, caf::after(5s) >> [] {});
  EXPECT_NE(where, 0u) << "the message was lost with the runner";
}

/// Counts the numbers it is sent.
caf::behavior counter(caf::event_based_actor*, std::atomic<int>* seen) {
  return {[seen](int) { ++*seen; }};
}

TEST(IoSchedulerThroughput, ABusyActorYieldsAfterMaxThroughputMessages) {
  // The server bounds an actor's turn so that it cannot hold the network
  // thread: after max-throughput messages its job goes to the back of the
  // runner's queue.
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-throughput", size_t{4});
  std::atomic<int> seen{0};
  caf::actor_system sys{io_config(cfg)};
  auto a = sys.spawn(counter, &seen);
  std::this_thread::sleep_for(20ms); // started and idle (fallback thread)
  auto runner = std::make_unique<thread_runner>(/*paused=*/true);
  actors::attach_job_runner(sys, runner.get());
  for (int i = 0; i < 100; ++i)
    caf::anon_send(a, i);
  EXPECT_EQ(runner->posts(), 1); // one job for the whole mailbox
  runner->unpause();
  for (int i = 0; i < 500 && seen.load() < 100; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_EQ(seen.load(), 100);
  EXPECT_EQ(runner->posts(), 25); // 4 messages per turn
  actors::attach_job_runner(sys, nullptr);
  runner.reset();
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

/// Sends the counter it gets back to its sender, one less, until 0.
caf::behavior bouncer(caf::event_based_actor* self, std::atomic<int>* hops) {
  return {[self, hops](int n, caf::actor& peer) {
    ++*hops;
    if (n > 0)
      self->send(peer, n - 1, caf::actor_cast<caf::actor>(self));
    else
      self->quit();
  }};
}

TEST(IoSchedulerShutdown, SystemEndsWithActorsStillBusy) {
  // Two actors pass a counter back and forth when the system is destroyed:
  // its destructor must neither hang (the test's timeout) nor leak (ASan).
  caf::actor_system_config cfg;
  std::atomic<int> hops{0};
  {
    caf::actor_system sys{io_config(cfg)};
    auto runner = std::make_unique<thread_runner>();
    actors::attach_job_runner(sys, runner.get());
    auto a = sys.spawn(bouncer, &hops);
    auto b = sys.spawn(bouncer, &hops);
    caf::anon_send(a, 1000000, b);
    std::this_thread::sleep_for(50ms);
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
    // As the server does: detach, then stop the runner (it hands back what
    // it still holds), then destroy the system.
    actors::attach_job_runner(sys, nullptr);
    runner.reset();
  }
  EXPECT_GT(hops.load(), 0);
}
