#pragma once

#include "persistence/media_store.hpp"
#include "tests/fakes/fault_switch.hpp"

namespace tryon::fakes {

/// Wraps a real media_store; while failing, every write (make_temp_path,
/// commit, write_file) throws store_error as a full disk would. Reads and
/// remove() pass through.
class failing_media_store final : public persistence::media_store,
                                  public fault_switch {
public:
  /// Decorates `inner`, which must outlive this object.
  explicit failing_media_store(persistence::media_store& inner)
    : inner_(inner) {}

  /// See media_store.
  std::filesystem::path make_temp_path() override;

  /// See media_store.
  void commit(const std::filesystem::path& temp,
              const std::string& rel_path) override;

  /// See media_store.
  void write_file(const std::string& rel_path, std::string_view bytes) override;

  /// See media_store.
  void remove(const std::string& rel_path) noexcept override;

  /// See media_store.
  std::optional<std::filesystem::path>
  resolve(std::string_view rel_path) const override;

  /// See media_store.
  std::string url_for(const std::string& rel_path) const override;

private:
  persistence::media_store& inner_;
};

} // namespace tryon::fakes
