#include "net/io_job_runner.hpp"

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace tryon::net {

namespace {

namespace asio = boost::asio;

/// A job queued on the I/O context; hands the job back if destroyed unrun
/// (the context is being torn down), so none is lost.
class queued_job {
public:
  queued_job(actors::job_runner::job_fn fn, void* owner, void* job)
    : fn_(fn), owner_(owner), job_(job) {}
  queued_job(queued_job&& other) noexcept
    : fn_(std::exchange(other.fn_, nullptr)), owner_(other.owner_),
      job_(other.job_) {}
  queued_job(const queued_job&) = delete;
  queued_job& operator=(const queued_job&) = delete;
  queued_job& operator=(queued_job&&) = delete;
  ~queued_job() {
    if (fn_)
      fn_(owner_, job_, false);
  }

  void operator()() { std::exchange(fn_, nullptr)(owner_, job_, true); }

private:
  actors::job_runner::job_fn fn_;
  void* owner_;
  void* job_;
};

class io_job_runner final : public actors::job_runner {
public:
  explicit io_job_runner(asio::io_context& ioc) : ioc_(ioc) {}

  // Posted from an I/O thread (a session actor answering a frame read on
  // it), the job goes to that thread's own queue and wakes nobody.
  void post(job_fn fn, void* owner, void* job) override {
    asio::post(ioc_, queued_job{fn, owner, job});
  }

private:
  asio::io_context& ioc_;
};

} // namespace

std::unique_ptr<actors::job_runner> make_io_job_runner(asio::io_context& ioc) {
  return std::make_unique<io_job_runner>(ioc);
}

} // namespace tryon::net
