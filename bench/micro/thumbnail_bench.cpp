// Thumbnail of a processed 720p frame (what a capture stores next to the
// full image): imaging::make_thumbnail as the capture saver calls it (256 px
// longest side), and for comparison TurboJPEG directly: scaled decode (1/4
// -> 320x180, or 1/2) plus a quality-80 encode, and a full-size decode.
#include "bench/micro/sample_frame.hpp"
#include "imaging/thumbnail.hpp"

#include <turbojpeg.h>

#include <benchmark/benchmark.h>

#include <vector>

namespace {

struct tj_handles {
  tjhandle dec = tjInitDecompress();
  tjhandle enc = tjInitCompress();
  ~tj_handles() {
    tjDestroy(dec);
    tjDestroy(enc);
  }
};

// Decodes `jpeg` scaled by 1/denom and re-encodes it; returns its size.
unsigned long make_thumbnail(tj_handles& tj, const std::string& jpeg, int denom,
                             std::vector<unsigned char>& rgb) {
  auto* src = reinterpret_cast<const unsigned char*>(jpeg.data());
  int w = 0, h = 0, sub = 0, cs = 0;
  tjDecompressHeader3(tj.dec, src, jpeg.size(), &w, &h, &sub, &cs);
  const int sw = (w + denom - 1) / denom;
  const int sh = (h + denom - 1) / denom;
  rgb.resize(static_cast<std::size_t>(sw) * sh * 3);
  tjDecompress2(tj.dec, src, jpeg.size(), rgb.data(), sw, 0, sh, TJPF_RGB,
                TJFLAG_FASTDCT);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  tjCompress2(tj.enc, rgb.data(), sw, 0, sh, TJPF_RGB, &out, &size, TJSAMP_420,
              80, TJFLAG_FASTDCT);
  tjFree(out);
  return size;
}

void BM_ImagingThumbnail256(benchmark::State& state) {
  const auto& jpeg = tryon::bench::sample_jpeg_60k();
  std::string error;
  for (auto _ : state)
    benchmark::DoNotOptimize(tryon::imaging::make_thumbnail(jpeg, 256, error));
}
BENCHMARK(BM_ImagingThumbnail256)->Unit(benchmark::kMicrosecond);

void BM_ThumbnailQuarter(benchmark::State& state) {
  tj_handles tj;
  std::vector<unsigned char> rgb;
  const auto& jpeg = tryon::bench::sample_jpeg_60k();
  for (auto _ : state)
    benchmark::DoNotOptimize(make_thumbnail(tj, jpeg, 4, rgb));
}
BENCHMARK(BM_ThumbnailQuarter)->Unit(benchmark::kMicrosecond);

void BM_ThumbnailHalf(benchmark::State& state) {
  tj_handles tj;
  std::vector<unsigned char> rgb;
  const auto& jpeg = tryon::bench::sample_jpeg_60k();
  for (auto _ : state)
    benchmark::DoNotOptimize(make_thumbnail(tj, jpeg, 2, rgb));
}
BENCHMARK(BM_ThumbnailHalf)->Unit(benchmark::kMicrosecond);

void BM_JpegFullDecode(benchmark::State& state) {
  tj_handles tj;
  const auto& jpeg = tryon::bench::sample_jpeg_60k();
  std::vector<unsigned char> rgb(1280 * 720 * 3);
  for (auto _ : state)
    benchmark::DoNotOptimize(tjDecompress2(
        tj.dec, reinterpret_cast<const unsigned char*>(jpeg.data()),
        jpeg.size(), rgb.data(), 1280, 0, 720, TJPF_RGB, TJFLAG_FASTDCT));
}
BENCHMARK(BM_JpegFullDecode)->Unit(benchmark::kMicrosecond);

} // namespace
