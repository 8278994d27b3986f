#include "ai_service/pipeline.hpp"

#include "ai_service/image_codec.hpp"
#include "test_images.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace tryon::ai;

namespace {

std::string jpeg_of(const rgb_image& img, int quality = 90) {
  auto r = encode_jpeg(img, quality);
  EXPECT_TRUE(std::holds_alternative<std::string>(r));
  return std::holds_alternative<std::string>(r) ? std::get<std::string>(r)
                                                : std::string{};
}

rgb_image decoded(std::string_view bytes) {
  auto r = decode_image(bytes);
  if (auto* e = std::get_if<pipeline_error>(&r))
    ADD_FAILURE() << e->message;
  return std::holds_alternative<rgb_image>(r) ? std::get<rgb_image>(r)
                                              : rgb_image{};
}

} // namespace

TEST(RenderFrame, PaintsTheFingertipsAndLeavesTheBackground) {
  const rgb_image original = test::draw_hand(1280, 720);
  rgb_image frame = original;
  const hand_detection hand = render_frame(frame, default_design());
  ASSERT_EQ(hand.nails.size(), 5u);
  for (const auto& n : hand.nails) {
    const int x = static_cast<int>(n.cx);
    const int y = static_cast<int>(n.cy);
    EXPECT_GT(test::pixel_diff(original, frame, x, y), 40)
        << "nail centre " << x << "," << y << " not painted";
  }
  // Every changed pixel lies inside some nail's ellipse: the rest of the
  // hand and the background are untouched, bit for bit.
  int changed = 0;
  for (int y = 0; y < frame.height; ++y)
    for (int x = 0; x < frame.width; ++x) {
      if (test::pixel_diff(original, frame, x, y) == 0)
        continue;
      ++changed;
      const bool in_nail = std::any_of(
          hand.nails.begin(), hand.nails.end(), [&](const nail_placement& n) {
            return std::hypot(x + 0.5 - n.cx, y + 0.5 - n.cy) <=
                   std::max(n.half_length, n.half_width) + 1;
          });
      ASSERT_TRUE(in_nail) << "pixel " << x << "," << y << " changed";
    }
  EXPECT_GT(changed, 5 * 500);
  EXPECT_EQ(test::pixel_diff(original, frame, 10, 10), 0);
  EXPECT_EQ(test::pixel_diff(original, frame, 640, 470), 0); // palm
}

TEST(ProcessFrame, RendersAJpegHandFrame) {
  const rgb_image original = test::draw_hand(1280, 720);
  const std::string input = jpeg_of(original);
  auto r = process_frame(input, default_design());
  ASSERT_TRUE(std::holds_alternative<frame_result>(r));
  const auto& out = std::get<frame_result>(r);
  EXPECT_TRUE(out.rendered);
  EXPECT_EQ(out.fingertips, 5);
  EXPECT_GT(out.confidence, 0.5);
  EXPECT_LE(out.confidence, 1.0);
  ASSERT_EQ(detect_format(out.jpeg), image_format::jpeg);
  const rgb_image in_px = decoded(input);
  const rgb_image out_px = decoded(out.jpeg);
  ASSERT_EQ(out_px.width, 1280);
  ASSERT_EQ(out_px.height, 720);
  // Background survives the re-encode (within JPEG noise).
  EXPECT_LE(test::pixel_diff(in_px, out_px, 20, 20), 6);
  EXPECT_LE(test::pixel_diff(in_px, out_px, 1200, 100), 6);
  // Each nail centre is painted.
  rgb_image painted = original;
  const auto hand = render_frame(painted, default_design());
  for (const auto& n : hand.nails)
    EXPECT_GT(test::pixel_diff(in_px, out_px, static_cast<int>(n.cx),
                               static_cast<int>(n.cy)),
              30);
}

TEST(ProcessFrame, ReturnsANonHandFrameUnchanged) {
  const std::string input = jpeg_of(test::draw_no_hand(1280, 720));
  auto r = process_frame(input, default_design());
  ASSERT_TRUE(std::holds_alternative<frame_result>(r));
  const auto& out = std::get<frame_result>(r);
  EXPECT_FALSE(out.rendered);
  EXPECT_EQ(out.fingertips, 0);
  EXPECT_NEAR(out.confidence, 0.0, 1e-9);
  EXPECT_EQ(out.jpeg, input); // byte for byte
}

TEST(ProcessFrame, DecodesWebPInputAndAnswersJpeg) {
  const std::string input = test::encode_webp(test::draw_hand(640, 360));
  ASSERT_EQ(detect_format(input), image_format::webp);
  auto r = process_frame(input, default_design());
  ASSERT_TRUE(std::holds_alternative<frame_result>(r));
  const auto& out = std::get<frame_result>(r);
  EXPECT_EQ(out.fingertips, 5);
  EXPECT_GT(out.confidence, 0.5);
  ASSERT_EQ(detect_format(out.jpeg), image_format::jpeg);
  const rgb_image px = decoded(out.jpeg);
  EXPECT_EQ(px.width, 640);
  EXPECT_EQ(px.height, 360);
}

TEST(ProcessFrame, NonHandWebPComesBackAsJpeg) {
  const rgb_image original = test::draw_no_hand(320, 240);
  auto r = process_frame(test::encode_webp(original), default_design());
  ASSERT_TRUE(std::holds_alternative<frame_result>(r));
  const auto& out = std::get<frame_result>(r);
  EXPECT_EQ(out.confidence, 0.0);
  const rgb_image px = decoded(out.jpeg);
  ASSERT_EQ(px.width, 320);
  EXPECT_LE(test::pixel_diff(original, px, 100, 150), 8);
}

TEST(ProcessFrame, CorruptInputIsAnErrorNotACrash) {
  const std::string good = jpeg_of(test::draw_hand(640, 360));
  std::vector<std::string> bad = {
      "",
      "hello",
      std::string("\xFF\xD8\xFF\xE0", 4) + std::string(500, '\x17'),
      good.substr(0, good.size() / 2), // truncated scan
      good.substr(0, 200),             // truncated headers
      std::string("RIFF\x10\0\0\0WEBPVP8 ", 16) + std::string(40, 'x'),
  };
  std::string flipped = good;
  for (std::size_t i = 700; i < flipped.size(); i += 97)
    flipped[i] = static_cast<char>(0xFF); // markers inside the scan
  bad.push_back(flipped);
  for (std::size_t i = 0; i < bad.size(); ++i) {
    auto r = process_frame(bad[i], default_design());
    EXPECT_TRUE(std::holds_alternative<pipeline_error>(r)) << "case " << i;
  }
}

TEST(ImageCodec, ScaledJpegDecodeKeepsTheMinimumSide) {
  const std::string jpeg = jpeg_of(test::draw_no_hand(1280, 720));
  auto r = decode_image(jpeg, 100);
  ASSERT_TRUE(std::holds_alternative<rgb_image>(r));
  const auto& img = std::get<rgb_image>(r);
  // 1/8 would leave 90 rows (< 100), so 1/4 is the smallest that fits.
  EXPECT_EQ(img.width, 320);
  EXPECT_EQ(img.height, 180);
}

TEST(RenderTiming, Median1280x720Jpeg) {
  const std::string input = jpeg_of(test::draw_hand(1280, 720), 80);
  const nail_design design = default_design();
  std::vector<double> ms;
  for (int i = 0; i < 15; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = process_frame(input, design);
    const auto t1 = std::chrono::steady_clock::now();
    ASSERT_TRUE(std::holds_alternative<frame_result>(r));
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("process_frame 1280x720 JPEG: median %.2f ms (min %.2f)\n",
              ms[ms.size() / 2], ms.front());
  RecordProperty("median_ms", std::to_string(ms[ms.size() / 2]));
}
