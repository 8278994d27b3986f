#include "tests/fakes/temp_dir.hpp"

#include "persistence/random_hex.hpp"

namespace tryon::fakes {

temp_dir::temp_dir()
  : path_(std::filesystem::temp_directory_path() /
          ("tryon-test-" + persistence::random_hex(8))) {
  std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

} // namespace tryon::fakes
