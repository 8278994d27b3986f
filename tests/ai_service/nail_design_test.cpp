#include "ai_service/nail_design.hpp"

#include "ai_service/image_codec.hpp"
#include "ai_service/reference_url.hpp"
#include "test_images.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace tryon::ai;

namespace {

// A file in the build tree that disappears with the test.
struct temp_file {
  std::string path;
  explicit temp_file(const std::string& name, const std::string& bytes)
    : path(std::string{TRYON_BINARY_DIR} + "/ai_design_test_" +
           std::to_string(::getpid()) + "_" + name) {
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~temp_file() { std::remove(path.c_str()); }
};

} // namespace

TEST(NailDesign, DerivesMeanAndTileFromAFileUrl) {
  auto jpeg = encode_jpeg(make_demo_design(256), 90);
  ASSERT_TRUE(std::holds_alternative<std::string>(jpeg));
  temp_file file("demo.jpg", std::get<std::string>(jpeg));
  auto url = parse_reference_url("file://" + file.path);
  ASSERT_TRUE(std::holds_alternative<reference_url>(url));
  auto bytes = read_file_reference(std::get<reference_url>(url), 1 << 20);
  ASSERT_TRUE(std::holds_alternative<std::string>(bytes));
  auto d = derive_design(std::get<std::string>(bytes));
  ASSERT_TRUE(std::holds_alternative<derived_design>(d));
  const auto& design = std::get<derived_design>(d);
  EXPECT_TRUE(design.fallback_reason.empty());
  EXPECT_EQ(design.design.tile.width, design_tile_size);
  EXPECT_EQ(design.design.tile.height, design_tile_size);
  // Magenta to violet: red and blue strong, green weak.
  EXPECT_GT(design.design.mean.r, 150);
  EXPECT_GT(design.design.mean.b, 150);
  EXPECT_LT(design.design.mean.g, 110);
}

TEST(NailDesign, UniformImageGivesItsColour) {
  rgb_image img(100, 80);
  for (std::size_t i = 0; i < img.pixels.size(); i += 3) {
    img.pixels[i] = 20;
    img.pixels[i + 1] = 200;
    img.pixels[i + 2] = 40;
  }
  const nail_design d = design_from_image(img);
  EXPECT_EQ(d.mean.r, 20);
  EXPECT_EQ(d.mean.g, 200);
  EXPECT_EQ(d.mean.b, 40);
}

TEST(NailDesign, UndecodablePngFallsBackToTheDefault) {
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + "garbage";
  auto d = derive_design(png);
  ASSERT_TRUE(std::holds_alternative<derived_design>(d));
  EXPECT_FALSE(std::get<derived_design>(d).fallback_reason.empty());
  EXPECT_EQ(std::get<derived_design>(d).design.mean.r, default_design().mean.r);
}

TEST(NailDesign, NonImageIsAnError) {
  EXPECT_TRUE(std::holds_alternative<pipeline_error>(derive_design("text")));
  EXPECT_TRUE(std::holds_alternative<pipeline_error>(derive_design("")));
}

TEST(NailDesign, WebPReferenceWorks) {
  auto d = derive_design(test::encode_webp(make_demo_design(64)));
  ASSERT_TRUE(std::holds_alternative<derived_design>(d));
  EXPECT_TRUE(std::get<derived_design>(d).fallback_reason.empty());
}

TEST(ReferenceUrl, ParsesHttpUrls) {
  auto r = parse_reference_url("http://127.0.0.1:8000/media/a%20b.jpg?x=1#f");
  ASSERT_TRUE(std::holds_alternative<reference_url>(r));
  const auto& u = std::get<reference_url>(r);
  EXPECT_EQ(u.scheme, reference_url::kind::http);
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, "8000");
  EXPECT_EQ(u.target, "/media/a%20b.jpg?x=1");
  auto plain = parse_reference_url("http://example.com");
  ASSERT_TRUE(std::holds_alternative<reference_url>(plain));
  EXPECT_EQ(std::get<reference_url>(plain).port, "80");
  EXPECT_EQ(std::get<reference_url>(plain).target, "/");
}

TEST(ReferenceUrl, ParsesHttpsUrls) {
  auto r = parse_reference_url("https://localhost:8443/media/p.jpg?v=2");
  ASSERT_TRUE(std::holds_alternative<reference_url>(r));
  const auto& u = std::get<reference_url>(r);
  EXPECT_EQ(u.scheme, reference_url::kind::https);
  EXPECT_EQ(u.host, "localhost");
  EXPECT_EQ(u.port, "8443");
  EXPECT_EQ(to_string(u), "https://localhost:8443/media/p.jpg?v=2");
  auto plain = parse_reference_url("https://[::1]/x.jpg");
  ASSERT_TRUE(std::holds_alternative<reference_url>(plain));
  EXPECT_EQ(std::get<reference_url>(plain).port, "443");
  EXPECT_EQ(to_string(std::get<reference_url>(plain)),
            "https://[::1]:443/x.jpg");
}

TEST(ReferenceUrl, ParsesFileUrls) {
  auto r = parse_reference_url("file:///tmp/my%20nail.jpg");
  ASSERT_TRUE(std::holds_alternative<reference_url>(r));
  EXPECT_EQ(std::get<reference_url>(r).path, "/tmp/my nail.jpg");
  auto l = parse_reference_url("file://localhost/tmp/x.jpg");
  ASSERT_TRUE(std::holds_alternative<reference_url>(l));
  EXPECT_EQ(std::get<reference_url>(l).path, "/tmp/x.jpg");
}

TEST(ReferenceUrl, RejectsWhatItCannotFetch) {
  for (const char* bad :
       {"ftp://x/y", "https://", "https://h:443x/", "/media/x.jpg",
        "file://relative/x", "http://", "http://h:x/", "file:///a%zz"})
    EXPECT_TRUE(
        std::holds_alternative<pipeline_error>(parse_reference_url(bad)))
        << bad;
  reference_url missing;
  missing.path = "/nonexistent/definitely/not/here.jpg";
  EXPECT_TRUE(std::holds_alternative<pipeline_error>(
      read_file_reference(missing, 1024)));
}
