#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace tryon::persistence {

/// Files under the media root (uploads, processed frames, thumbnails).
/// Paths given to it are relative ("uploads/nail_reference/<uuid>.jpg");
/// every write lands atomically (temp file + rename): a reader never sees a
/// partial file. Throws store_error on I/O failure.
class media_store {
public:
  virtual ~media_store() = default;

  /// A fresh temp file path on the media root's file system, for streaming
  /// writes that commit() later moves into place.
  virtual std::filesystem::path make_temp_path() = 0;

  /// Moves a finished temp file to `rel_path` atomically (creating dirs).
  virtual void commit(const std::filesystem::path& temp,
                      const std::string& rel_path) = 0;

  /// Writes `bytes` to `rel_path` atomically (temp + fsync + rename).
  virtual void write_file(const std::string& rel_path,
                          std::string_view bytes) = 0;

  /// Removes `rel_path`; no error if it does not exist.
  virtual void remove(const std::string& rel_path) noexcept = 0;

  /// The on-disk path of an existing regular file named by an (already
  /// percent-decoded) URL path below /media/; nullopt when missing or when
  /// the path would leave the media root (.., absolute, symlink escape, NUL).
  virtual std::optional<std::filesystem::path>
  resolve(std::string_view rel_path) const = 0;

  /// The public URL of `rel_path` (TRYON_PUBLIC_URL + "/media/" + rel_path).
  virtual std::string url_for(const std::string& rel_path) const = 0;
};

} // namespace tryon::persistence
