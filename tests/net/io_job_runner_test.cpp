// net/io_job_runner: actor jobs run on the I/O context's threads, and a job
// still queued when the context is destroyed is handed back exactly once.

#include "net/io_job_runner.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

using namespace tryon;

namespace {

/// What happened to the jobs posted with it as their owner.
struct job_log {
  std::vector<int> ran;
  std::vector<int> handed_back;
  std::vector<std::thread::id> threads;

  static void record(void* owner, void* job, bool run) {
    auto* log = static_cast<job_log*>(owner);
    int id = *static_cast<int*>(job);
    (run ? log->ran : log->handed_back).push_back(id);
    log->threads.push_back(std::this_thread::get_id());
  }
};

} // namespace

TEST(IoJobRunner, RunsJobsInOrderOnTheContextsThread) {
  boost::asio::io_context ioc{1};
  auto runner = net::make_io_job_runner(ioc);
  job_log log;
  int ids[] = {1, 2, 3};
  for (int& id : ids)
    runner->post(&job_log::record, &log, &id);
  EXPECT_TRUE(log.ran.empty()) << "post must not run a job inline";
  std::thread::id io_thread;
  std::thread t{[&] {
    io_thread = std::this_thread::get_id();
    ioc.run();
  }};
  t.join();
  EXPECT_EQ(log.ran, (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(log.handed_back.empty());
  for (auto id : log.threads)
    EXPECT_EQ(id, io_thread);
}

TEST(IoJobRunner, HandsBackJobsLeftInADestroyedContext) {
  job_log log;
  int ran_id = 1, left_id = 2;
  {
    boost::asio::io_context ioc{1};
    auto runner = net::make_io_job_runner(ioc);
    runner->post(&job_log::record, &log, &ran_id);
    ioc.run_one();
    runner->post(&job_log::record, &log, &left_id);
    ioc.stop(); // as http_server::stop(): the second job never runs
    ioc.run();
    EXPECT_TRUE(log.handed_back.empty());
  }
  EXPECT_EQ(log.ran, (std::vector<int>{1}));
  EXPECT_EQ(log.handed_back, (std::vector<int>{2}));
}
