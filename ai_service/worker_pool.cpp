#include "ai_service/worker_pool.hpp"

#include <algorithm>

namespace tryon::ai {

worker_pool::worker_pool(int threads) {
  const int n = std::max(1, threads);
  threads_.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    threads_.emplace_back([this] { work(); });
}

worker_pool::~worker_pool() {
  stop();
}

void worker_pool::submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mtx_);
    if (!stopping_) {
      tasks_.push_back(std::move(task));
      cv_.notify_one();
      return;
    }
  }
  // Stopped: `task` dies here, outside the lock (it may own connections).
}

void worker_pool::stop() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard<std::mutex> lock(mtx_);
    stopping_ = true;
    dropped.swap(tasks_);
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable())
      t.join();
  threads_.clear();
}

std::size_t worker_pool::queued() const {
  std::lock_guard<std::mutex> lock(mtx_);
  return tasks_.size();
}

void worker_pool::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mtx_);
      cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (stopping_)
        return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

} // namespace tryon::ai
