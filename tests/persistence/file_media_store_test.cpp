#include "persistence/file_media_store.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "persistence/store_error.hpp"
#include "tests/fakes/temp_dir.hpp"

using namespace tryon::persistence;
namespace fs = std::filesystem;

namespace {

class FileMediaStoreTest : public ::testing::Test {
protected:
  tryon::fakes::temp_dir dir_;
  file_media_store store_{dir_.path() / "media", "http://host.test/"};

  static std::string read(const fs::path& p) {
    std::ifstream in{p, std::ios::binary};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  std::size_t temp_files() const {
    auto tmp = store_.root() / ".tmp";
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator{tmp}, fs::directory_iterator{}));
  }
};

} // namespace

TEST_F(FileMediaStoreTest, WriteFileCreatesDirectoriesAndLeavesNoTemp) {
  std::string bytes("\xff\xd8\x00jpeg", 7);
  store_.write_file("uploads/source_image/a.jpg", bytes);
  auto p = store_.resolve("uploads/source_image/a.jpg");
  ASSERT_TRUE(p);
  EXPECT_EQ(read(*p), bytes);
  EXPECT_EQ(temp_files(), 0u);
}

TEST_F(FileMediaStoreTest, WriteFileReplacesAtomically) {
  store_.write_file("r/x.jpg", "old");
  store_.write_file("r/x.jpg", "new contents");
  EXPECT_EQ(read(*store_.resolve("r/x.jpg")), "new contents");
  EXPECT_EQ(temp_files(), 0u);
}

TEST_F(FileMediaStoreTest, CommitMovesATempFileIntoPlace) {
  auto temp = store_.make_temp_path();
  EXPECT_EQ(temp.parent_path(), store_.root() / ".tmp");
  EXPECT_NE(temp, store_.make_temp_path());
  std::ofstream{temp} << "streamed";
  // Not visible before the commit: temp files are never served.
  EXPECT_FALSE(store_.resolve(".tmp/" + temp.filename().string()));
  store_.commit(temp, "uploads/nail_reference/b.png");
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(read(*store_.resolve("uploads/nail_reference/b.png")), "streamed");
}

TEST_F(FileMediaStoreTest, UnsafeTargetsAreRefused) {
  auto temp = store_.make_temp_path();
  std::ofstream{temp} << "x";
  EXPECT_THROW(store_.commit(temp, "../escape.png"), store_error);
  EXPECT_THROW(store_.write_file("/etc/passwd", "x"), store_error);
  EXPECT_THROW(store_.write_file(".tmp/x", "x"), store_error);
  EXPECT_FALSE(fs::exists(dir_.path() / "escape.png"));
}

TEST_F(FileMediaStoreTest, ResolveRejectsEscapes) {
  store_.write_file("a/b.jpg", "x");
  std::ofstream{dir_.path() / "secret.txt"} << "secret";
  for (const char* bad :
       {"", "/etc/passwd", "../secret.txt", "a/../../secret.txt", "a/./b.jpg",
        "a//b.jpg", "a\\b.jpg", ".tmp", ".hidden", "a/b.jpg/", "a"})
    EXPECT_FALSE(store_.resolve(bad)) << bad;
  EXPECT_FALSE(store_.resolve(std::string_view("a/b.jpg\0.png", 12)));
  EXPECT_TRUE(store_.resolve("a/b.jpg"));
}

TEST_F(FileMediaStoreTest, ResolveRejectsSymlinksLeavingTheRoot) {
  std::ofstream{dir_.path() / "secret.txt"} << "secret";
  fs::create_symlink(dir_.path() / "secret.txt", store_.root() / "link.txt");
  fs::create_directory_symlink(dir_.path(), store_.root() / "outside");
  EXPECT_FALSE(store_.resolve("link.txt"));
  EXPECT_FALSE(store_.resolve("outside/secret.txt"));
  EXPECT_THROW(store_.write_file("outside/planted.txt", "x"), store_error);
  EXPECT_FALSE(fs::exists(dir_.path() / "planted.txt"));
  // A symlink that stays inside the root is fine.
  store_.write_file("real.jpg", "x");
  fs::create_symlink(store_.root() / "real.jpg", store_.root() / "alias.jpg");
  EXPECT_TRUE(store_.resolve("alias.jpg"));
}

TEST_F(FileMediaStoreTest, RemoveIsQuietForMissingFiles) {
  store_.write_file("a.jpg", "x");
  store_.remove("a.jpg");
  EXPECT_FALSE(store_.resolve("a.jpg"));
  store_.remove("a.jpg");
  store_.remove("../../etc/passwd"); // refused silently
}

TEST_F(FileMediaStoreTest, UrlForJoinsThePublicUrl) {
  EXPECT_EQ(store_.url_for("uploads/a.jpg"),
            "http://host.test/media/uploads/a.jpg");
  file_media_store relative{dir_.path() / "m2", ""};
  EXPECT_EQ(relative.url_for("a.jpg"), "/media/a.jpg");
}

TEST(FileMediaStoreReadOnly, ServesAnExistingDirectoryAndNeverWrites) {
  tryon::fakes::temp_dir dir;
  auto web = dir.path() / "web";
  fs::create_directories(web);
  std::ofstream(web / "index.html") << "<html></html>";
  file_media_store store{web, "", file_media_store::access::read_only};
  auto found = store.resolve("index.html");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, fs::canonical(web / "index.html"));
  // Nothing created: the installed web root is read-only under systemd.
  EXPECT_FALSE(fs::exists(web / ".tmp"));
  EXPECT_THROW(store.make_temp_path(), store_error);
  EXPECT_THROW(store.write_file("x.html", "x"), store_error);
  EXPECT_FALSE(fs::exists(web / "x.html"));
  // A read-only store is never created where nothing exists.
  EXPECT_THROW((file_media_store{dir.path() / "missing", "",
                                 file_media_store::access::read_only}),
               store_error);
  EXPECT_FALSE(fs::exists(dir.path() / "missing"));
}

TEST_F(FileMediaStoreTest, SweepRemovesOnlyOldTempFiles) {
  auto old_part = store_.make_temp_path();
  auto new_part = store_.make_temp_path();
  auto other = store_.temp_dir() / "keep.txt";
  for (const auto& p : {old_part, new_part, other})
    std::ofstream{p} << "leftover";
  fs::last_write_time(old_part,
                      fs::file_time_type::clock::now() - std::chrono::hours(1));
  fs::last_write_time(other,
                      fs::file_time_type::clock::now() - std::chrono::hours(1));
  EXPECT_EQ(store_.sweep_temp_files(std::chrono::minutes(10)), 1u);
  EXPECT_FALSE(fs::exists(old_part));
  EXPECT_TRUE(fs::exists(new_part)); // may be an upload in progress
  EXPECT_TRUE(fs::exists(other));    // not ours
}
