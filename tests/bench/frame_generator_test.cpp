#include "bench/harness/frame_generator.hpp"

#include "protocol/image_sniff.hpp"

#include <turbojpeg.h>

#include <gtest/gtest.h>

using namespace tryon::bench;

namespace {

// Decodes a JPEG; returns {width, height}, {0, 0} on failure.
std::pair<int, int> jpeg_size(const std::string& jpeg) {
  tjhandle tj = tjInitDecompress();
  int w = 0, h = 0, sub = 0, cs = 0;
  if (tjDecompressHeader3(tj,
                          reinterpret_cast<const unsigned char*>(jpeg.data()),
                          jpeg.size(), &w, &h, &sub, &cs) != 0)
    w = h = 0;
  std::vector<unsigned char> rgb(static_cast<std::size_t>(w) * h * 3);
  if (w > 0 &&
      tjDecompress2(tj, reinterpret_cast<const unsigned char*>(jpeg.data()),
                    jpeg.size(), rgb.data(), w, 0, h, TJPF_RGB, 0) != 0)
    w = h = 0;
  tjDestroy(tj);
  return {w, h};
}

} // namespace

TEST(FrameGenerator, FramesAreRealJpegsNearTheTargetSize) {
  for (auto [w, h, kb] :
       {std::tuple{1280, 720, 60}, std::tuple{640, 480, 35},
        std::tuple{1280, 720, 120}, std::tuple{640, 480, 30}}) {
    auto f = make_frame(w, h, 1, static_cast<std::size_t>(kb) * 1024);
    ASSERT_TRUE(f.jpeg);
    EXPECT_EQ(tryon::protocol::sniff_image(*f.jpeg),
              tryon::protocol::image_kind::jpeg);
    EXPECT_EQ(jpeg_size(*f.jpeg), std::make_pair(w, h));
    EXPECT_NEAR(static_cast<double>(f.jpeg->size()), kb * 1024.0,
                kb * 1024.0 * 0.15)
        << w << "x" << h << " " << kb << " KB";
  }
}

TEST(FrameGenerator, HandIsSkinColouredOnADarkBackground) {
  auto rgb = draw_hand_rgb(1280, 720, 0, 0);
  auto px = [&](int x, int y) { return &rgb[(y * 1280 + x) * 3]; };
  EXPECT_GT(px(640, 470)[0], 180); // palm centre: skin
  EXPECT_GT(px(615, 170)[0], 180); // middle finger
  EXPECT_LT(px(100, 100)[0], 60);  // background
  EXPECT_LT(px(1200, 300)[0], 60);
}

TEST(FrameGenerator, FrameSetsCoverTheResolutions) {
  auto mixed = make_frame_set(frame_resolution::mixed, 60, 2);
  ASSERT_EQ(mixed.size(), 4u);
  EXPECT_EQ(mixed[0].width, 1280);
  EXPECT_EQ(mixed[1].width, 640);
  auto p480 = make_frame_set(frame_resolution::p480, 35, 3);
  ASSERT_EQ(p480.size(), 3u);
  for (const auto& f : p480)
    EXPECT_EQ(f.height, 480);
  EXPECT_NE(*p480[0].jpeg, *p480[1].jpeg); // variants differ
}

TEST(FrameGenerator, DesignIsAJpeg) {
  auto d = make_design_jpeg();
  EXPECT_EQ(jpeg_size(d), std::make_pair(256, 256));
}
