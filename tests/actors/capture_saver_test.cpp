#include "actors/capture_saver.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "persistence/file_media_store.hpp"
#include "tests/fakes/failing_media_store.hpp"
#include "tests/fakes/fake_result_store.hpp"
#include "tests/fakes/temp_dir.hpp"
#include "tests/fakes/test_jpeg.hpp"

using namespace tryon;
namespace fs = std::filesystem;

namespace {

/// Fails the n-th write_file (1-based) and every one after it.
class flaky_media_store final : public persistence::media_store {
public:
  flaky_media_store(persistence::media_store& inner, int fail_from)
    : inner_(inner), fail_from_(fail_from) {}
  fs::path make_temp_path() override { return inner_.make_temp_path(); }
  void commit(const fs::path& t, const std::string& rel) override {
    inner_.commit(t, rel);
  }
  void write_file(const std::string& rel, std::string_view bytes) override {
    if (++writes_ >= fail_from_)
      throw persistence::store_error("disk full");
    inner_.write_file(rel, bytes);
  }
  void remove(const std::string& rel) noexcept override { inner_.remove(rel); }
  std::optional<fs::path> resolve(std::string_view rel) const override {
    return inner_.resolve(rel);
  }
  std::string url_for(const std::string& rel) const override {
    return inner_.url_for(rel);
  }

private:
  persistence::media_store& inner_;
  int fail_from_;
  int writes_ = 0;
};

class CaptureSaverTest : public ::testing::Test {
protected:
  actors::capture_request request(int w = 640, int h = 480) {
    actors::capture_request r;
    r.session_id = "0b7e1b8e-8a4c-4c1e-9d55-7b1c2f3a4d5e";
    r.user_id = 7;
    r.post_id = 3;
    r.sequence = 42;
    r.confidence = 0.75;
    r.processing_time_ms = 12.5;
    r.message = std::make_shared<const std::string>(std::string(1024, '\0') +
                                                    fakes::make_jpeg(w, h));
    r.requested_at_ms = 1700000000000;
    return r;
  }
  /// Regular files under the media root, temp files included.
  std::size_t files() const {
    std::size_t n = 0;
    for (auto& e : fs::recursive_directory_iterator(media_.root()))
      n += e.is_regular_file() ? 1 : 0;
    return n;
  }

  fakes::temp_dir dir_;
  persistence::file_media_store media_{dir_.path(), "http://h.test"};
  fakes::fake_result_store results_;
};

} // namespace

TEST_F(CaptureSaverTest, SavesImageThumbnailAndRow) {
  actors::capture_saver saver{media_, results_};
  auto out = saver.save(request(1280, 720));
  ASSERT_TRUE(out.id) << out.error;
  auto row = results_.find_result(7, *out.id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->session_id, request().session_id);
  EXPECT_EQ(row->nail_reference_post_id, 3);
  EXPECT_DOUBLE_EQ(*row->confidence_score, 0.75);
  EXPECT_EQ(row->metadata["sequence"], 42);
  EXPECT_EQ(row->metadata["width"], 1280);
  EXPECT_EQ(row->metadata["height"], 720);
  EXPECT_EQ(row->metadata["thumbnail_width"], 256);
  EXPECT_EQ(row->metadata["thumbnail_height"], 144);
  EXPECT_EQ(row->metadata["captured_at_ms"], 1700000000000);
  auto image = media_.resolve(row->processed_image);
  ASSERT_TRUE(image);
  EXPECT_EQ(fs::file_size(*image), request(1280, 720).message->size() - 1024);
  ASSERT_TRUE(row->thumbnail);
  auto thumb = media_.resolve(*row->thumbnail);
  ASSERT_TRUE(thumb);
  EXPECT_EQ(files(), 2u);
}

TEST_F(CaptureSaverTest, FullDiskLeavesNoFilesAndNoRow) {
  fakes::failing_media_store failing{media_};
  failing.set_failing(true);
  actors::capture_saver saver{failing, results_};
  auto out = saver.save(request());
  EXPECT_FALSE(out.id);
  EXPECT_EQ(out.error, "could not store the image");
  EXPECT_EQ(results_.calls(), 0);
  EXPECT_EQ(files(), 0u);
}

TEST_F(CaptureSaverTest, ThumbnailWriteFailureRemovesTheImage) {
  flaky_media_store flaky{media_, 2};
  actors::capture_saver saver{flaky, results_};
  auto out = saver.save(request());
  EXPECT_FALSE(out.id);
  EXPECT_EQ(results_.calls(), 0);
  EXPECT_EQ(files(), 0u);
}

TEST_F(CaptureSaverTest, DatabaseFailureRemovesBothFiles) {
  results_.set_failing(true);
  actors::capture_saver saver{media_, results_};
  auto out = saver.save(request());
  EXPECT_FALSE(out.id);
  EXPECT_EQ(out.error, "could not save the result");
  EXPECT_EQ(files(), 0u);
  results_.set_failing(false);
  EXPECT_TRUE(results_.list_results(7, -1, 0).empty());
  // Recovered: the next capture saves normally.
  EXPECT_TRUE(saver.save(request()).id);
  EXPECT_EQ(files(), 2u);
}

TEST_F(CaptureSaverTest, InvalidImageIsRefusedBeforeAnyWrite) {
  actors::capture_saver saver{media_, results_};
  auto r = request();
  r.message = std::make_shared<const std::string>(std::string(1024, '\0') +
                                                  "garbage, not a JPEG");
  EXPECT_FALSE(saver.save(r).id);
  r.message = std::make_shared<const std::string>(std::string(1000, '\0'));
  EXPECT_FALSE(saver.save(r).id);
  r.message.reset();
  EXPECT_FALSE(saver.save(r).id);
  EXPECT_EQ(files(), 0u);
  EXPECT_EQ(results_.calls(), 0);
}
