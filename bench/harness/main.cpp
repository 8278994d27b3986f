// tryon-bench: load harness for tryon-server and the AI service (loopback
// only). See docs/PERFORMANCE.md and docs/scripts.md ("bench").
#include "bench/harness/bench_options.hpp"
#include "bench/harness/bench_run.hpp"

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  using namespace tryon::bench;
  auto parsed = parse_bench_options(argc, argv);
  if (!parsed.options) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message << '\n';
    return parsed.exit_code;
  }
  const auto& opt = *parsed.options;
  try {
    auto report = run_bench(opt);
    std::cout << report_table(report, opt.per_session) << std::flush;
    if (!opt.json_path.empty()) {
      std::ofstream out(opt.json_path);
      out << report_json(report).dump(2) << '\n';
      if (!out) {
        std::cerr << "tryon-bench: cannot write " << opt.json_path << '\n';
        return 1;
      }
    }
    return report.sessions_ready > 0 ? 0 : 3;
  } catch (const std::exception& e) {
    std::cerr << "tryon-bench: " << e.what() << '\n';
    return 1;
  }
}
