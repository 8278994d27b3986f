// The media disk fills up (docs/RELIABILITY.md): the media root is a small
// tmpfs mounted by the test (root needed) and filled to the last byte.
// Uploads answer 507 with a JSON error, captures PROCESSING_FAILED, no
// partial file is left, streaming goes on; once space returns both work.

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "fault_kit.hpp"
#include "real_parts.hpp"
#include "stack_helpers.hpp"

using nlohmann::json;
using namespace tryon::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

json capture(ws_client& c) {
  c.send_text(R"({"type":"capture"})");
  while (auto m = c.read(10s)) {
    auto [type, code] = kind_of(*m);
    if (type == "frame_saved" || type == "error")
      return json::parse(m->data);
  }
  return {};
}

std::size_t files_below(const fs::path& dir) {
  std::size_t n = 0;
  if (fs::exists(dir))
    for (auto& e : fs::recursive_directory_iterator(dir))
      n += e.is_regular_file() ? 1 : 0;
  return n;
}

/// The names of the files below `dir`, for failure messages.
std::string names_below(const fs::path& dir) {
  std::string out;
  if (fs::exists(dir))
    for (auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file())
        out += e.path().string() + " (" + std::to_string(e.file_size()) +
               " bytes) ";
  return out;
}

/// No temp file left: the upload's is removed when its connection's
/// request ends, which may be just after the answer was sent.
bool no_temp_files(const fs::path& media) {
  return eventually([&] { return files_below(media / ".tmp") == 0; }, 5s);
}

/// Writes `path` until the file system refuses a single byte more.
void fill_up(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  std::string chunk(64 * 1024, 'x');
  for (std::size_t size = chunk.size(); size > 0; size /= 2)
    while (::write(fd, chunk.data(), size) == static_cast<ssize_t>(size)) {
    }
  ::close(fd);
}

} // namespace

TEST(DiskFault, FullMediaDiskFailsUploadsAndCapturesCleanlyThenRecovers) {
  TRYON_REQUIRE_REAL_PART(running_as_root(), "root (to mount a tmpfs)");
  if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure())
    return;
  std::unique_ptr<tmpfs_mount> disk;
  test_stack::options o;
  o.prepare_media = [&](const std::string& root) {
    disk = std::make_unique<tmpfs_mount>(root, 4 << 20);
  };
  auto s = std::make_unique<test_stack>(o);
  // The stack goes first (its server writes there), then the mount.
  struct stack_first {
    std::unique_ptr<test_stack>& s;
    ~stack_first() { s.reset(); }
  } order{s};
  TRYON_REQUIRE_REAL_PART(disk && disk->ok(),
                          disk ? disk->why() : "a tmpfs on the media root");
  if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure())
    return;
  ASSERT_TRUE(s->ok()) << s->why();
  auto u = s->make_user("df");
  auto session = s->make_session(u);
  auto phone = open_ready(*s, u, session);
  ASSERT_TRUE(phone);
  ASSERT_EQ(one_frame(*phone, 1).processed, 1);

  const fs::path media = s->media_root();
  const auto filler = (media / "filler.bin").string();
  fill_up(filler);
  // Small: the server reads the whole body before the write fails, so the
  // answer is not raced by a reset for unread bytes.
  auto image = make_test_jpeg();
  auto upload = [&] {
    auto [type, body] =
        multipart_form({{"type", "nail_reference"}}, "design.jpg", image);
    return http_call(s->port(), "POST", "/api/try-on/upload/",
                     {u.auth(), {"Content-Type", type}}, body);
  };

  auto r = upload();
  EXPECT_EQ(r.status, 507u) << r.body;
  auto j = json::parse(r.body, nullptr, false);
  EXPECT_TRUE(j.is_object() && j.contains("error")) << r.body;
  EXPECT_EQ(files_below(media / "uploads"), 0u);
  EXPECT_TRUE(no_temp_files(media)) << names_below(media / ".tmp");

  EXPECT_EQ(one_frame(*phone, 2).processed, 1); // streaming needs no disk
  auto answer = capture(*phone);
  EXPECT_EQ(answer.value("code", ""), "PROCESSING_FAILED") << answer.dump();
  EXPECT_EQ(files_below(media / "results"), 0u);
  EXPECT_TRUE(no_temp_files(media)) << names_below(media / ".tmp");
  EXPECT_TRUE(s->db().results.list_results(u.id, -1, 0).empty());

  // Space returns: both work again, with nothing to restart.
  fs::remove(filler);
  r = upload();
  EXPECT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(files_below(media / "uploads"), 1u);
  EXPECT_EQ(one_frame(*phone, 3).processed, 1);
  answer = capture(*phone);
  EXPECT_EQ(answer.value("type", ""), "frame_saved") << answer.dump();
  EXPECT_EQ(files_below(media / "results"), 2u);
}
