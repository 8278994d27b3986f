#include "tests/fakes/fake_upload_store.hpp"

namespace tryon::fakes {

using persistence::upload_record;

upload_record fake_upload_store::add_upload(const upload_record& rec) {
  check("add_upload");
  std::lock_guard<std::mutex> guard{mu_};
  for (const auto& u : uploads_)
    if (u.media_path == rec.media_path)
      throw persistence::store_error("media_path taken: " + rec.media_path,
                                     true);
  auto& u = uploads_.emplace_back(rec);
  u.id = next_id_++;
  return u;
}

std::optional<upload_record>
fake_upload_store::find_upload_by_url(std::int64_t user_id,
                                      const std::string& url) {
  check("find_upload_by_url");
  std::lock_guard<std::mutex> guard{mu_};
  for (auto u = uploads_.rbegin(); u != uploads_.rend(); ++u)
    if (u->user_id == user_id && u->url == url)
      return *u;
  return std::nullopt;
}

std::vector<upload_record> fake_upload_store::all() const {
  std::lock_guard<std::mutex> guard{mu_};
  return uploads_;
}

} // namespace tryon::fakes
