#pragma once

#include "persistence/media_store.hpp"

namespace tryon::persistence {

/// media_store on the local file system. Temp files live in `<root>/.tmp/`
/// (same file system, so rename is atomic); that directory and every other
/// dot-name is never served or written through a relative path.
class file_media_store final : public media_store {
public:
  /// read_only serves an existing directory it may not write to (the
  /// installed browser client under /usr/share, read-only under systemd's
  /// ProtectSystem=strict): nothing is created, writes throw store_error.
  enum class access { read_write, read_only };

  /// Creates `root` and `root/.tmp` if missing (read_write; read_only needs
  /// an existing `root`); `public_url` is TRYON_PUBLIC_URL (may be empty:
  /// URLs are then "/media/...").
  file_media_store(std::filesystem::path root, std::string public_url,
                   access mode = access::read_write);

  /// See media_store.
  std::filesystem::path make_temp_path() override;

  /// See media_store; throws store_error for an unsafe `rel_path`.
  void commit(const std::filesystem::path& temp,
              const std::string& rel_path) override;

  /// See media_store; throws store_error for an unsafe `rel_path`.
  void write_file(const std::string& rel_path, std::string_view bytes) override;

  /// See media_store.
  void remove(const std::string& rel_path) noexcept override;

  /// See media_store.
  std::optional<std::filesystem::path>
  resolve(std::string_view rel_path) const override;

  /// See media_store.
  std::string url_for(const std::string& rel_path) const override;

  /// Removes temp files (uploads cut short by a crash) last written more
  /// than `min_age` ago; returns how many. The age spares writes in progress
  /// on another node sharing the root.
  std::size_t sweep_temp_files(std::chrono::seconds min_age);

  /// The temp directory (below the root).
  const std::filesystem::path& temp_dir() const noexcept { return tmp_; }

  /// The canonical media root.
  const std::filesystem::path& root() const noexcept { return root_; }

  /// True when `rel_path` is a safe relative path: not empty, no NUL or
  /// backslash, not absolute, no empty, `.`, `..` or other dot-component.
  static bool is_safe_relative(std::string_view rel_path);

private:
  std::filesystem::path target_of(const std::string& rel_path) const;

  std::filesystem::path root_;
  std::filesystem::path tmp_;
  std::string public_url_;
  bool read_only_ = false;
};

} // namespace tryon::persistence
