#include "bench/harness/stream_hint.hpp"

#include "bench/harness/pacer.hpp"

#include <gtest/gtest.h>

using namespace tryon::bench;

namespace {

stream_hint hint(int fps, int quality, int width, std::string reason = "") {
  stream_hint h;
  h.fps = fps;
  h.jpeg_quality = quality;
  h.max_width = width;
  h.reason = std::move(reason);
  return h;
}

} // namespace

TEST(StreamHint, FpsIsAtMostTheHintAndAtMostWhatWasAsked) {
  EXPECT_DOUBLE_EQ(follow_hint(hint(12, 60, 960), 25).fps, 12.0);
  EXPECT_DOUBLE_EQ(follow_hint(hint(25, 60, 960), 10).fps, 10.0);
  EXPECT_DOUBLE_EQ(follow_hint(hint(1, 60, 960), 25).fps, 1.0);
  EXPECT_DOUBLE_EQ(follow_hint(hint(60, 60, 960), 120).fps, 25.0); // clamped
}

TEST(StreamHint, QualityIsTheHintsUpToTheFramesOwn) {
  EXPECT_EQ(follow_hint(hint(12, 60, 960), 25).frames.quality, 60);
  EXPECT_EQ(follow_hint(hint(12, 30, 960), 25).frames.quality, 30);
  EXPECT_EQ(follow_hint(hint(12, 5, 960), 25).frames.quality, 30); // clamped
  EXPECT_EQ(follow_hint(hint(25, 80, 1280), 25).frames.quality, 80);
  // "clear" may say 90: the phone's best is the quality its frames have.
  EXPECT_EQ(follow_hint(hint(25, 90, 1280), 25).frames.quality, frame_quality);
  EXPECT_EQ(follow_hint(hint(12, 60, 960), 25).frames.max_width, 960);
}

TEST(StreamHint, HintsMapOntoThePacerAndTheFrames) {
  frame_library lib{make_frame_set(frame_resolution::p720, 60, 1)};
  pacer p{25, 0.0, 1};
  p.next();
  // "uplink": 12 fps, quality 60, 960 wide.
  auto s = follow_hint(hint(12, 60, 960, "uplink"), 25);
  p.set_fps(s.fps);
  EXPECT_EQ(p.period(), std::chrono::nanoseconds(83333333));
  const auto& small = lib.get(s.frames);
  ASSERT_EQ(small.size(), 1u);
  EXPECT_EQ(small[0].width, 960);
  EXPECT_EQ(small[0].height, 540);
  EXPECT_EQ(small[0].quality, 60);
  EXPECT_LT(small[0].jpeg->size(), lib.base()[0].jpeg->size() / 2);
  // "clear": back to the full rate, quality and size: the frames of the
  // run as made at start, no re-encoding.
  auto c = follow_hint(hint(25, 90, 1280, "clear"), 25);
  p.set_fps(c.fps);
  EXPECT_EQ(p.period(), std::chrono::milliseconds(40));
  EXPECT_EQ(lib.find(c.frames), &lib.base());
}

TEST(StreamHint, ParsedFromAMessageObject) {
  auto h = parse_stream_hint(nlohmann::json{{"type", "stream_hint"},
                                            {"fps", 8},
                                            {"jpeg_quality", 45},
                                            {"max_width", 640},
                                            {"reason", "ai"},
                                            {"timestamp", 17}});
  ASSERT_TRUE(h);
  EXPECT_EQ(to_json(*h), (nlohmann::json{{"fps", 8},
                                         {"jpeg_quality", 45},
                                         {"max_width", 640},
                                         {"reason", "ai"},
                                         {"timestamp", 17}}));
  EXPECT_FALSE(parse_stream_hint(
      nlohmann::json{{"fps", -1}, {"jpeg_quality", 45}, {"max_width", 640}}));
}
