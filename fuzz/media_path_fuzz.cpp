// GET /media/<path>: the request target, split and decoded as the REST
// layer does, then resolved by the file media store. Whatever resolves
// must be a regular file inside the media root and outside its .tmp
// directory.
//
// The media root is a fixed temporary directory holding a file, a
// subdirectory, a hidden file, a half-written upload in .tmp, and symlinks
// pointing inside and outside the root.
#include "fuzz/fuzz_check.hpp"
#include "net/http_types.hpp"
#include "persistence/file_media_store.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>

#include <unistd.h>

namespace fs = std::filesystem;
using namespace tryon;

namespace {

void write(const fs::path& p) {
  std::ofstream(p) << "x";
}

struct media_root {
  fs::path base;
  std::unique_ptr<persistence::file_media_store> store;
  fs::path root;
  fs::path tmp;

  media_root() {
    base = fs::temp_directory_path() /
           ("tryon-fuzz-media-" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base / "outside");
    write(base / "outside" / "secret.txt");
    store = std::make_unique<persistence::file_media_store>(
        base / "media", "http://127.0.0.1:8000");
    root = store->root();
    tmp = root / ".tmp";
    fs::create_directories(root / "posts");
    write(root / "posts" / "a.jpg");
    write(root / ".hidden");
    write(tmp / "upload.part");
    fs::create_symlink(base / "outside", root / "escape");
    fs::create_symlink(base / "outside" / "secret.txt", root / "secret.jpg");
    fs::create_symlink(root / "posts", root / "alias");
  }
  ~media_root() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
};

bool within(const fs::path& base, const fs::path& p) {
  auto [b, q] = std::mismatch(base.begin(), base.end(), p.begin(), p.end());
  return b == base.end();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static media_root media;
  auto text = tryon::fuzz::as_text(data, size);
  (void)persistence::file_media_store::is_safe_relative(text);

  net::http_request req;
  req.method = "GET";
  req.target = "/media/" + std::string{text};
  if (!net::split_target(req))
    return 0;
  constexpr std::string_view prefix = "/media/";
  if (req.path.compare(0, prefix.size(), prefix) != 0)
    return 0;
  auto rel = std::string_view{req.path}.substr(prefix.size());
  auto file = media.store->resolve(rel);
  if (!file)
    return 0;
  TRYON_FUZZ_CHECK(persistence::file_media_store::is_safe_relative(rel));
  TRYON_FUZZ_CHECK(within(media.root, *file));
  TRYON_FUZZ_CHECK(!within(media.tmp, *file));
  TRYON_FUZZ_CHECK(fs::is_regular_file(*file));
  return 0;
}
