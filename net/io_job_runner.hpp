#pragma once

#include <memory>

#include "actors/ports.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tryon::net {

/// Runs actor jobs (actors/io_scheduler.hpp) on the threads that run `ioc`.
/// A job still queued when `ioc` is destroyed is handed back to its owner
/// (job_fn with run = false) rather than lost. `ioc` must outlive it.
std::unique_ptr<actors::job_runner>
make_io_job_runner(boost::asio::io_context& ioc);

} // namespace tryon::net
