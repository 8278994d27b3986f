// Binary frame codecs: the 1024-byte header block and whole frames with a
// 60 KB JPEG, as the server handles them once per frame and direction.
#include "bench/micro/sample_frame.hpp"
#include "protocol/ai_message.hpp"
#include "protocol/client_frame.hpp"
#include "protocol/frame_header.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace tryon;

void BM_HeaderBlockEncode(benchmark::State& state) {
  nlohmann::json h{{"sequence", 12345},
                   {"timestamp", 1700000000123},
                   {"width", 1280},
                   {"height", 720},
                   {"format", "jpeg"}};
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::encode_header_block(h));
}
BENCHMARK(BM_HeaderBlockEncode);

void BM_ClientFrameEncode(benchmark::State& state) {
  const auto& jpeg = bench::sample_jpeg_60k();
  protocol::client_frame_header h;
  h.sequence = 12345;
  h.timestamp = 1700000000123;
  h.width = 1280;
  h.height = 720;
  h.format = "jpeg";
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::encode_client_frame(h, jpeg));
  state.SetBytesProcessed(state.iterations() * (jpeg.size() + 1024));
}
BENCHMARK(BM_ClientFrameEncode);

void BM_ClientFrameDecode(benchmark::State& state) {
  protocol::client_frame_header h;
  h.sequence = 12345;
  h.timestamp = 1700000000123;
  h.format = "jpeg";
  const auto msg = protocol::encode_client_frame(h, bench::sample_jpeg_60k());
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::decode_client_frame(msg, 10 << 20));
  state.SetBytesProcessed(state.iterations() * msg.size());
}
BENCHMARK(BM_ClientFrameDecode);

void BM_AiFrameEncode(benchmark::State& state) {
  const auto& jpeg = bench::sample_jpeg_60k();
  const std::string id = "5f0c7c1e-8a43-4d43-9d8e-3a1f7d6b2c10";
  for (auto _ : state)
    benchmark::DoNotOptimize(
        protocol::encode_ai_frame(id, 12345, 1700000000123, "jpeg", jpeg));
  state.SetBytesProcessed(state.iterations() * (jpeg.size() + 1024));
}
BENCHMARK(BM_AiFrameEncode);

void BM_AiProcessedDecode(benchmark::State& state) {
  protocol::ai_processed_header h;
  h.session_id = "5f0c7c1e-8a43-4d43-9d8e-3a1f7d6b2c10";
  h.sequence = 12345;
  h.confidence = 0.87;
  h.processing_time_ms = 4.2;
  h.format = "jpeg";
  const auto msg =
      protocol::encode_ai_processed_frame(h, bench::sample_jpeg_60k());
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::decode_ai_processed_frame(msg));
  state.SetBytesProcessed(state.iterations() * msg.size());
}
BENCHMARK(BM_AiProcessedDecode);

} // namespace
