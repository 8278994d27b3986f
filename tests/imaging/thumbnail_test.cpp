#include "imaging/thumbnail.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "imaging/resample.hpp"
#include "tests/fakes/test_jpeg.hpp"

using namespace tryon::imaging;
using tryon::fakes::decode_jpeg;
using tryon::fakes::make_jpeg;

namespace {

/// Makes a thumbnail and checks it decodes to the size it claims.
thumbnail thumb_of(const std::string& jpeg, int side = 256) {
  std::string error;
  auto t = make_thumbnail(jpeg, side, error);
  EXPECT_TRUE(t) << error;
  if (!t)
    return {};
  int w = 0, h = 0;
  EXPECT_FALSE(decode_jpeg(t->jpeg, w, h).empty());
  EXPECT_EQ(w, t->size.width);
  EXPECT_EQ(h, t->size.height);
  return *t;
}

} // namespace

TEST(ThumbnailTest, SizeKeepsAspectRatioAndNeverUpscales) {
  EXPECT_EQ(thumbnail_size({1280, 720}, 256).width, 256);
  EXPECT_EQ(thumbnail_size({1280, 720}, 256).height, 144);
  EXPECT_EQ(thumbnail_size({480, 640}, 256).width, 192);
  EXPECT_EQ(thumbnail_size({480, 640}, 256).height, 256);
  EXPECT_EQ(thumbnail_size({64, 48}, 256).width, 64);
  EXPECT_EQ(thumbnail_size({256, 256}, 256).height, 256);
  EXPECT_EQ(thumbnail_size({5000, 3}, 256).height, 1); // never zero
}

TEST(ThumbnailTest, LandscapeFrameShrinksToLongestSide) {
  auto t = thumb_of(make_jpeg(1280, 720));
  EXPECT_EQ(t.size.width, 256);
  EXPECT_EQ(t.size.height, 144);
}

TEST(ThumbnailTest, PortraitFrameKeepsItsAspectRatio) {
  auto t = thumb_of(make_jpeg(720, 1280));
  EXPECT_EQ(t.size.height, 256);
  EXPECT_EQ(t.size.width, 144);
  t = thumb_of(make_jpeg(300, 400));
  EXPECT_EQ(t.size.height, 256);
  EXPECT_EQ(t.size.width, 192);
}

TEST(ThumbnailTest, SmallImageKeepsItsSize) {
  auto t = thumb_of(make_jpeg(64, 48));
  EXPECT_EQ(t.size.width, 64);
  EXPECT_EQ(t.size.height, 48);
}

TEST(ThumbnailTest, ColoursSurviveTheResample) {
  auto t = thumb_of(make_jpeg(1000, 600, 0xC08040));
  int w = 0, h = 0;
  auto rgb = decode_jpeg(t.jpeg, w, h);
  ASSERT_FALSE(rgb.empty());
  auto mid = (static_cast<std::size_t>(h / 2) * w + w / 2) * 3;
  EXPECT_NEAR(static_cast<unsigned char>(rgb[mid]), 0xC0, 6);
  EXPECT_NEAR(static_cast<unsigned char>(rgb[mid + 1]), 0x80, 6);
  EXPECT_NEAR(static_cast<unsigned char>(rgb[mid + 2]), 0x40, 6);
}

TEST(ThumbnailTest, CorruptInputIsRefused) {
  std::string error;
  EXPECT_FALSE(make_thumbnail("", 256, error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(make_thumbnail("not a jpeg at all", 256, error));
  auto jpeg = make_jpeg(640, 480);
  error.clear();
  EXPECT_FALSE(make_thumbnail(jpeg.substr(0, jpeg.size() / 2), 256, error));
  EXPECT_FALSE(error.empty());
  std::string scrambled = jpeg;
  for (std::size_t i = 200; i < scrambled.size() - 2; i += 7)
    scrambled[i] = static_cast<char>(std::rand());
  // Either refused or decoded to the right size: never garbage dimensions.
  if (auto t = make_thumbnail(scrambled, 256, error)) {
    EXPECT_EQ(t->size.width, 256);
  }
}

TEST(ThumbnailTest, JpegSizeReadsTheHeaderOnly) {
  auto size = jpeg_size(make_jpeg(321, 123));
  ASSERT_TRUE(size);
  EXPECT_EQ(size->width, 321);
  EXPECT_EQ(size->height, 123);
  EXPECT_FALSE(jpeg_size("\x89PNG\r\n"));
}

TEST(ResampleTest, BoxFilterAveragesEachArea) {
  // 4x2 -> 2x1: each target pixel averages a 2x2 block.
  std::vector<unsigned char> rgb{0,  0,  0,   100, 100, 100, 10,  20,
                                 30, 10, 20,  30,  100, 100, 100, 0,
                                 0,  0,  250, 40,  50,  250, 40,  50};
  auto out = shrink_rgb(rgb, {4, 2}, {2, 1});
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(out[0], 50);  // (0 + 100 + 100 + 0) / 4
  EXPECT_EQ(out[3], 130); // (10 + 10 + 250 + 250) / 4
  EXPECT_EQ(out[4], 30);
  EXPECT_EQ(out[5], 40);
}
