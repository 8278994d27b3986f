#include "protocol/image_sniff.hpp"

#include "tests/protocol/sample_images.hpp"

#include <gtest/gtest.h>

namespace tryon::protocol {
namespace {

using test::jpeg_bytes;
using test::png_bytes;
using test::webp_bytes;

TEST(ImageSniff, RecognisesMagicBytes) {
  EXPECT_EQ(sniff_image(jpeg_bytes), image_kind::jpeg);
  EXPECT_EQ(sniff_image(png_bytes), image_kind::png);
  EXPECT_EQ(sniff_image(webp_bytes), image_kind::webp);
}

TEST(ImageSniff, RecognisesOtherJpegMarkers) {
  using namespace std::string_literals;
  EXPECT_EQ(sniff_image("\xFF\xD8\xFF\xDB\x00\x43"s), image_kind::jpeg);
  EXPECT_EQ(sniff_image("\xFF\xD8\xFF\xE1\x00\x00Exif"s), image_kind::jpeg);
}

TEST(ImageSniff, NeedsAtMostTwelveBytes) {
  EXPECT_EQ(sniff_image(std::string_view(webp_bytes).substr(0, sniff_bytes)),
            image_kind::webp);
  EXPECT_EQ(sniff_image(std::string_view(png_bytes).substr(0, 8)),
            image_kind::png);
  EXPECT_EQ(sniff_image(std::string_view(jpeg_bytes).substr(0, 3)),
            image_kind::jpeg);
}

TEST(ImageSniff, TruncatedInputIsUnknown) {
  for (std::size_t n = 0; n < 3; ++n)
    EXPECT_EQ(sniff_image(std::string_view(jpeg_bytes).substr(0, n)),
              image_kind::unknown);
  for (std::size_t n = 0; n < 8; ++n)
    EXPECT_EQ(sniff_image(std::string_view(png_bytes).substr(0, n)),
              image_kind::unknown);
  for (std::size_t n = 0; n < 12; ++n)
    EXPECT_EQ(sniff_image(std::string_view(webp_bytes).substr(0, n)),
              image_kind::unknown)
        << n;
}

TEST(ImageSniff, LookalikesAreUnknown) {
  using namespace std::string_literals;
  EXPECT_EQ(sniff_image("\xFF\xD8\x00\x00"s), image_kind::unknown);
  EXPECT_EQ(sniff_image("\x89PNG\r\n\x1A\x00"s), image_kind::unknown);
  // A RIFF container that is not WebP (a WAV file).
  EXPECT_EQ(sniff_image("RIFF\x24\x00\x00\x00WAVEfmt "s), image_kind::unknown);
  EXPECT_EQ(sniff_image("GIF89a\x01\x00\x01\x00\x00\x00"s),
            image_kind::unknown);
  EXPECT_EQ(sniff_image("<svg xmlns=\"\">"), image_kind::unknown);
}

TEST(ImageSniff, ContentTypes) {
  EXPECT_EQ(content_type(image_kind::jpeg), "image/jpeg");
  EXPECT_EQ(content_type(image_kind::png), "image/png");
  EXPECT_EQ(content_type(image_kind::webp), "image/webp");
  EXPECT_EQ(content_type(image_kind::unknown), "application/octet-stream");
}

TEST(ImageSniff, FileExtensions) {
  EXPECT_EQ(file_extension(image_kind::jpeg), ".jpg");
  EXPECT_EQ(file_extension(image_kind::png), ".png");
  EXPECT_EQ(file_extension(image_kind::webp), ".webp");
  EXPECT_EQ(file_extension(image_kind::unknown), "");
}

TEST(ImageSniff, FormatNames) {
  EXPECT_EQ(format_name(image_kind::jpeg), "jpeg");
  EXPECT_EQ(format_name(image_kind::png), "png");
  EXPECT_EQ(format_name(image_kind::webp), "webp");
  EXPECT_EQ(format_name(image_kind::unknown), "");
}

} // namespace
} // namespace tryon::protocol
