#include "tests/fakes/failing_media_store.hpp"

namespace tryon::fakes {

std::filesystem::path failing_media_store::make_temp_path() {
  check("make_temp_path");
  return inner_.make_temp_path();
}

void failing_media_store::commit(const std::filesystem::path& temp,
                                 const std::string& rel_path) {
  check("commit");
  inner_.commit(temp, rel_path);
}

void failing_media_store::write_file(const std::string& rel_path,
                                     std::string_view bytes) {
  check("write_file");
  inner_.write_file(rel_path, bytes);
}

void failing_media_store::remove(const std::string& rel_path) noexcept {
  inner_.remove(rel_path);
}

std::optional<std::filesystem::path>
failing_media_store::resolve(std::string_view rel_path) const {
  return inner_.resolve(rel_path);
}

std::string failing_media_store::url_for(const std::string& rel_path) const {
  return inner_.url_for(rel_path);
}

} // namespace tryon::fakes
