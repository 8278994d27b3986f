#include "tests/fakes/fake_post_store.hpp"

namespace tryon::fakes {

std::optional<persistence::post> fake_post_store::find_post(std::int64_t id) {
  check("find_post");
  std::lock_guard<std::mutex> guard{mu_};
  auto p = posts_.find(id);
  if (p == posts_.end())
    return std::nullopt;
  return p->second;
}

persistence::post fake_post_store::add_post(const std::string& image_url,
                                            const std::string& title) {
  check("add_post");
  std::lock_guard<std::mutex> guard{mu_};
  persistence::post p{next_id_++, title, image_url};
  posts_[p.id] = p;
  return p;
}

} // namespace tryon::fakes
