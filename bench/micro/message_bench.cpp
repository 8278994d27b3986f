// JSON text messages: what the server builds and parses per frame (the
// processed_frame metadata, AI replies) and per session (session_ready).
#include "protocol/ai_message.hpp"
#include "protocol/client_message.hpp"
#include "protocol/server_message.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace tryon;

void BM_ProcessedFrameBuild(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(
        protocol::processed_frame(12345, 1700000000123, 4.25, 0.87, "jpeg", 1));
}
BENCHMARK(BM_ProcessedFrameBuild);

void BM_SessionReadyBuild(benchmark::State& state) {
  protocol::stream_config cfg;
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::session_ready(
        "5f0c7c1e-8a43-4d43-9d8e-3a1f7d6b2c10",
        "http://127.0.0.1:8000/media/posts/demo-design.jpg", "explore", cfg,
        1700000000123));
}
BENCHMARK(BM_SessionReadyBuild);

void BM_ClientPingParse(benchmark::State& state) {
  const std::string text = R"({"type":"ping","timestamp":1700000000123})";
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::parse_client_message(text));
}
BENCHMARK(BM_ClientPingParse);

void BM_PongBuild(benchmark::State& state) {
  const nlohmann::json ts = 1700000000123;
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::pong(ts));
}
BENCHMARK(BM_PongBuild);

void BM_AiEventParse(benchmark::State& state) {
  const auto text = protocol::ai_frame_error_msg(
      "5f0c7c1e-8a43-4d43-9d8e-3a1f7d6b2c10", 12345, "FRAME_PROCESSING_FAILED",
      "decode failed");
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::parse_ai_event(text));
}
BENCHMARK(BM_AiEventParse);

void BM_AiInitBuild(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::ai_init_session(
        "5f0c7c1e-8a43-4d43-9d8e-3a1f7d6b2c10",
        "http://127.0.0.1:8000/media/posts/demo-design.jpg", 7));
}
BENCHMARK(BM_AiInitBuild);

} // namespace
