#include "persistence/file_media_store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "persistence/random_hex.hpp"
#include "persistence/store_error.hpp"

namespace fs = std::filesystem;

namespace tryon::persistence {

namespace {

/// Whether `p` is `base` or below it (both canonical).
bool within(const fs::path& base, const fs::path& p) {
  auto [b, q] = std::mismatch(base.begin(), base.end(), p.begin(), p.end());
  return b == base.end();
}

[[noreturn]] void fail(const std::string& what, int err) {
  auto message = "media: " + what + ": " + std::strerror(err);
  if (is_out_of_space(err))
    throw storage_full_error(message);
  throw store_error(message);
}

/// Flushes a file or directory to disk.
void sync_path(const fs::path& p, int flags) {
  int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0)
    fail("open " + p.string(), errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0)
    fail("fsync " + p.string(), err);
}

void write_all(const fs::path& p, std::string_view bytes) {
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    fail("create " + p.string(), errno);
  while (!bytes.empty()) {
    auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      fail("write " + p.string(), err);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  int rc = ::fsync(fd);
  int err = errno;
  if (::close(fd) != 0 && rc == 0) {
    rc = -1;
    err = errno;
  }
  if (rc != 0)
    fail("fsync " + p.string(), err);
}

} // namespace

file_media_store::file_media_store(fs::path root, std::string public_url,
                                   access mode)
  : public_url_(std::move(public_url)), read_only_(mode == access::read_only) {
  try {
    if (!read_only_)
      fs::create_directories(root);
    root_ = fs::canonical(root);
    tmp_ = root_ / ".tmp";
    if (!read_only_)
      fs::create_directories(tmp_);
  } catch (const fs::filesystem_error& e) {
    throw store_error(std::string("media root: ") + e.what());
  }
  while (!public_url_.empty() && public_url_.back() == '/')
    public_url_.pop_back();
}

bool file_media_store::is_safe_relative(std::string_view rel) {
  if (rel.empty() || rel.front() == '/')
    return false;
  if (rel.find('\0') != std::string_view::npos ||
      rel.find('\\') != std::string_view::npos)
    return false;
  // Every component must be non-empty and must not start with a dot: that
  // rules out ".", "..", ".tmp" and hidden files in one test.
  std::size_t start = 0;
  while (start <= rel.size()) {
    auto end = std::min(rel.find('/', start), rel.size());
    if (end == start || rel[start] == '.')
      return false;
    start = end + 1;
  }
  return true;
}

fs::path file_media_store::target_of(const std::string& rel) const {
  if (!is_safe_relative(rel))
    throw store_error("media: unsafe path: " + rel);
  return root_ / rel;
}

fs::path file_media_store::make_temp_path() {
  if (read_only_)
    throw store_error("media: " + root_.string() + " is read-only");
  std::error_code ec;
  fs::create_directories(tmp_, ec); // in case someone cleaned it up
  return tmp_ / (random_hex(16) + ".part");
}

std::size_t file_media_store::sweep_temp_files(std::chrono::seconds min_age) {
  std::size_t removed = 0;
  std::error_code ec;
  auto cutoff = fs::file_time_type::clock::now() - min_age;
  for (fs::directory_iterator it{tmp_, ec}, end; !ec && it != end;
       it.increment(ec)) {
    std::error_code e2;
    if (!it->is_regular_file(e2) || it->path().extension() != ".part")
      continue;
    auto written = it->last_write_time(e2);
    if (!e2 && written < cutoff && fs::remove(it->path(), e2))
      ++removed;
  }
  return removed;
}

void file_media_store::commit(const fs::path& temp, const std::string& rel) {
  if (read_only_)
    throw store_error("media: " + root_.string() + " is read-only");
  auto target = target_of(rel);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec)
    fail("mkdir " + target.parent_path().string(), ec.value());
  // A symlinked directory must not carry the write outside the root.
  auto parent = fs::canonical(target.parent_path(), ec);
  if (ec || !within(root_, parent) || within(tmp_, parent))
    throw store_error("media: path leaves the media root: " + rel);
  if (::rename(temp.c_str(), target.c_str()) != 0)
    fail("rename to " + target.string(), errno);
}

void file_media_store::write_file(const std::string& rel,
                                  std::string_view bytes) {
  auto target = target_of(rel);
  auto temp = make_temp_path();
  try {
    write_all(temp, bytes);
    commit(temp, rel);
  } catch (...) {
    std::error_code ec;
    fs::remove(temp, ec);
    throw;
  }
  sync_path(target.parent_path(), O_RDONLY | O_DIRECTORY); // the rename
}

void file_media_store::remove(const std::string& rel) noexcept {
  if (!is_safe_relative(rel))
    return;
  std::error_code ec;
  fs::remove(root_ / rel, ec);
}

std::optional<fs::path> file_media_store::resolve(std::string_view rel) const {
  if (!is_safe_relative(rel))
    return std::nullopt;
  std::error_code ec;
  auto p = fs::weakly_canonical(root_ / fs::path(rel), ec);
  if (ec || !within(root_, p) || within(tmp_, p))
    return std::nullopt;
  if (!fs::is_regular_file(p, ec))
    return std::nullopt;
  return p;
}

std::string file_media_store::url_for(const std::string& rel) const {
  return public_url_ + "/media/" + rel;
}

} // namespace tryon::persistence
