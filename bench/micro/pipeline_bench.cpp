// The stale-frame policy (actors/frame_pipeline.hpp) per step: one frame in,
// its result back, delivered and written; and the overloaded case where a
// newer frame replaces the waiting one (one drop per result).
#include "actors/frame_pipeline.hpp"

#include <benchmark/benchmark.h>

#include <memory>
#include <string>

namespace {

using bytes = std::shared_ptr<const std::string>;
using pipeline = tryon::actors::frame_pipeline<bytes, bytes>;

void BM_PipelineFrameCycle(benchmark::State& state) {
  pipeline p;
  auto frame = std::make_shared<const std::string>(61440, 'x');
  std::int64_t seq = 0;
  std::int64_t dropped = 0;
  for (auto _ : state) {
    ++seq;
    auto d = p.on_frame(seq, frame);
    benchmark::DoNotOptimize(d);
    auto next = p.on_result(seq, frame);
    benchmark::DoNotOptimize(next);
    auto r = p.take_delivery(dropped);
    benchmark::DoNotOptimize(r);
    p.on_written();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PipelineFrameCycle);

void BM_PipelineStaleReplace(benchmark::State& state) {
  pipeline p;
  auto frame = std::make_shared<const std::string>(61440, 'x');
  std::int64_t seq = 1;
  std::int64_t dropped = 0;
  p.on_frame(seq, frame); // one in flight throughout
  for (auto _ : state) {
    p.on_frame(seq + 1, frame);          // waits
    p.on_frame(seq + 2, frame);          // replaces it: one drop
    auto next = p.on_result(seq, frame); // dispatches seq + 2
    benchmark::DoNotOptimize(next);
    auto r = p.take_delivery(dropped);
    benchmark::DoNotOptimize(r);
    p.on_written();
    seq += 2;
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_PipelineStaleReplace);

} // namespace
