#pragma once

#include "bench/harness/bench_options.hpp"
#include "bench/harness/run_report.hpp"
#include "bench/harness/ws_link.hpp"

#include <memory>
#include <string>

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tryon::bench {

/// Take-over mode: opens `opt.takeovers` connections in turn to session
/// `session_id` (each waits for the previous step to settle), recording
/// for each the time from the new connection's handshake to the older
/// connection's close (expected code 4009) and to session_ready; fills
/// `rep.takeover`. `ioc` must be running on other threads.
void run_takeovers(boost::asio::io_context& ioc, const bench_options& opt,
                   const ws_link_options& link_options, run_report& rep);

} // namespace tryon::bench
