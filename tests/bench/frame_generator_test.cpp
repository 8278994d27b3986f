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

TEST(FrameGenerator, ScaledSizeKeepsTheAspectAndNeverScalesUp) {
  EXPECT_EQ(scaled_size(1280, 720, 960), std::make_pair(960, 540));
  EXPECT_EQ(scaled_size(1280, 720, 640), std::make_pair(640, 360));
  EXPECT_EQ(scaled_size(1280, 720, 1920), std::make_pair(1280, 720));
  EXPECT_EQ(scaled_size(1280, 720, 0), std::make_pair(1280, 720));
  EXPECT_EQ(scaled_size(640, 480, 960), std::make_pair(640, 480));
  EXPECT_EQ(scaled_size(640, 480, 500), std::make_pair(500, 374));
  EXPECT_EQ(scaled_size(720, 1280, 640), std::make_pair(360, 640)); // long side
}

TEST(FrameGenerator, DownscaleAveragesTheCoveredPixels) {
  // 2x2 -> 1x1: the mean; 4x2 -> 2x1: each half's mean.
  std::vector<std::uint8_t> px{0,  0,  0,  100, 100, 100,
                               50, 50, 50, 250, 250, 250};
  EXPECT_EQ(downscale_rgb(px, 2, 2, 1, 1),
            (std::vector<std::uint8_t>{100, 100, 100}));
  std::vector<std::uint8_t> row{10, 20, 30, 30, 40, 50, 200, 0, 0, 0, 0, 200,
                                10, 20, 30, 30, 40, 50, 200, 0, 0, 0, 0, 200};
  EXPECT_EQ(downscale_rgb(row, 4, 2, 2, 1),
            (std::vector<std::uint8_t>{20, 30, 40, 100, 0, 100}));
}

TEST(FrameGenerator, ReencodingIsSmallerAtLowerQualityAndWidth) {
  auto base = make_frame(1280, 720, 2, 60 * 1024);
  ASSERT_GE(base.grain, 0);
  EXPECT_EQ(base.quality, frame_quality);
  // The same drawing, quality and size: the same bytes.
  EXPECT_EQ(*reencode_frame(base, frame_quality, 0).jpeg, *base.jpeg);
  EXPECT_EQ(*reencode_frame(base, frame_quality, 1280).jpeg, *base.jpeg);
  auto q60 = reencode_frame(base, 60, 0);
  auto w960 = reencode_frame(base, frame_quality, 960);
  auto both = reencode_frame(base, 60, 960);
  auto small = reencode_frame(base, 30, 640);
  EXPECT_EQ(jpeg_size(*q60.jpeg), std::make_pair(1280, 720));
  EXPECT_EQ(q60.quality, 60);
  EXPECT_EQ(jpeg_size(*w960.jpeg), std::make_pair(960, 540));
  EXPECT_EQ(w960.width, 960);
  EXPECT_EQ(w960.height, 540);
  EXPECT_EQ(jpeg_size(*small.jpeg), std::make_pair(640, 360));
  EXPECT_LT(q60.jpeg->size(), base.jpeg->size() * 8 / 10);
  EXPECT_LT(w960.jpeg->size(), base.jpeg->size() * 8 / 10);
  EXPECT_LT(both.jpeg->size(), q60.jpeg->size());
  EXPECT_LT(both.jpeg->size(), w960.jpeg->size());
  EXPECT_LT(small.jpeg->size(), both.jpeg->size() / 2);
  // A frame of unknown drawing is sent as it is.
  frame_image opaque{base.width, base.height, base.jpeg};
  EXPECT_EQ(reencode_frame(opaque, 30, 640).jpeg, base.jpeg);
}

TEST(FrameGenerator, LibraryMakesEachSetOnceOffTheHotPath) {
  frame_library lib{make_frame_set(frame_resolution::p480, 30, 2)};
  // The base key, and a width at or above the frames', are the base set.
  EXPECT_EQ(lib.find({}), &lib.base());
  EXPECT_EQ(lib.find({frame_quality, 640}), &lib.base());
  EXPECT_EQ(lib.find({frame_quality, 1280}), &lib.base());
  EXPECT_EQ(lib.normalize({150, 2000}), (frame_key{100, 0}));
  // Another key: not ready at once, made on the library's thread.
  const frame_key key{50, 320};
  EXPECT_EQ(lib.find(key), nullptr);
  const auto& set = lib.get(key); // waits for it
  EXPECT_EQ(lib.find(key), &set);
  EXPECT_EQ(&lib.get(key), &set);
  EXPECT_EQ(lib.made(), 1u);
  ASSERT_EQ(set.size(), 2u);
  for (std::size_t i = 0; i < set.size(); ++i) {
    EXPECT_EQ(set[i].width, 320);
    EXPECT_EQ(set[i].height, 240);
    EXPECT_EQ(set[i].variant, lib.base()[i].variant);
    EXPECT_EQ(jpeg_size(*set[i].jpeg), std::make_pair(320, 240));
    EXPECT_LT(set[i].jpeg->size(), lib.base()[i].jpeg->size() / 2);
  }
  EXPECT_NE(*set[0].jpeg, *set[1].jpeg); // frames still vary
  // get() of a key nobody queued makes it on the caller's thread.
  EXPECT_EQ(lib.get({40, 0}).size(), 2u);
  EXPECT_EQ(lib.made(), 2u);
}
