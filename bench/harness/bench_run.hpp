#pragma once

#include "bench/harness/bench_options.hpp"
#include "bench/harness/run_report.hpp"

namespace tryon::bench {

/// Runs one measurement as `opt` asks:
///
///   setup (REST) -> baseline -> connect ramp -> [settle | warm-up]
///     -> measured window -> stats -> drain + close -> report
///
/// Throws std::runtime_error when the run cannot start (no session could
/// be created, bad URL). Progress goes to stderr.
run_report run_bench(const bench_options& opt);

} // namespace tryon::bench
