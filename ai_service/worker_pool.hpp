#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tryon::ai {

/// A fixed set of threads running submitted tasks in FIFO order. Rendering
/// runs here so the IO thread only moves bytes.
class worker_pool {
public:
  /// Starts `threads` workers (at least one).
  explicit worker_pool(int threads);

  /// Stops (see stop()).
  ~worker_pool();

  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;

  /// Queues `task`; after stop() the task is destroyed without running.
  void submit(std::function<void()> task);

  /// Lets running tasks finish, destroys queued ones, joins the threads.
  void stop();

  /// Tasks waiting for a thread.
  std::size_t queued() const;

private:
  void work();

  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

} // namespace tryon::ai
