#pragma once

#include <filesystem>

namespace tryon::fakes {

/// A fresh directory under the system temp dir, removed with its contents
/// on destruction (e.g. a media root for one test).
class temp_dir {
public:
  /// Creates `<tmp>/tryon-test-<random>`.
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  /// The directory.
  const std::filesystem::path& path() const noexcept { return path_; }

private:
  std::filesystem::path path_;
};

} // namespace tryon::fakes
