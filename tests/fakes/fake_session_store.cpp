#include "tests/fakes/fake_session_store.hpp"

#include <algorithm>

#include "persistence/random_hex.hpp"
#include "tests/fakes/fake_user_store.hpp"

namespace tryon::fakes {

using persistence::session_record;

namespace {

bool is_status(const std::string& s) {
  return s == "initializing" || s == "active" || s == "paused" ||
         s == "completed" || s == "error";
}

} // namespace

persistence::epoch_us fake_session_store::tick() {
  last_ = std::max(persistence::now_us(), last_ + 1);
  return last_;
}

session_record
fake_session_store::create_session(const persistence::new_session& s) {
  check("create_session");
  std::lock_guard<std::mutex> guard{mu_};
  session_record r;
  r.id = persistence::random_uuid();
  r.user_id = s.user_id;
  r.nail_reference_post_id = s.nail_reference_post_id;
  r.nail_reference_url = s.nail_reference_url;
  r.source_image_url = s.source_image_url;
  r.mode = s.mode;
  r.created_at = r.updated_at = tick();
  r.expires_at = s.expires_at;
  sessions_[r.id] = r;
  return r;
}

std::optional<session_record>
fake_session_store::find_session(const std::string& id) {
  check("find_session");
  std::lock_guard<std::mutex> guard{mu_};
  auto s = sessions_.find(id);
  if (s == sessions_.end())
    return std::nullopt;
  return s->second;
}

bool fake_session_store::update_status(const std::string& id,
                                       const std::string& status) {
  check("update_status");
  if (!is_status(status))
    throw persistence::store_error("invalid status: " + status);
  std::lock_guard<std::mutex> guard{mu_};
  auto s = sessions_.find(id);
  if (s == sessions_.end())
    return false;
  s->second.status = status;
  s->second.updated_at = tick();
  return true;
}

bool fake_session_store::update_stats(const std::string& id,
                                      const nlohmann::json& stats) {
  check("update_stats");
  std::lock_guard<std::mutex> guard{mu_};
  auto s = sessions_.find(id);
  if (s == sessions_.end())
    return false;
  s->second.stats = stats;
  s->second.updated_at = tick();
  return true;
}

std::vector<std::string>
fake_session_store::complete_expired(persistence::epoch_us now) {
  check("complete_expired");
  std::lock_guard<std::mutex> guard{mu_};
  std::vector<std::string> ids;
  for (auto& [id, s] : sessions_) {
    if (s.expires_at < now && s.status != "completed" && s.status != "error") {
      s.status = "completed";
      s.updated_at = tick();
      ids.push_back(id);
    }
  }
  return ids;
}

bool fake_session_store::end_abandoned(const std::string& id,
                                       persistence::epoch_us seen_updated_at) {
  check("end_abandoned");
  std::lock_guard<std::mutex> guard{mu_};
  auto s = sessions_.find(id);
  if (s == sessions_.end() ||
      (s->second.status != "active" && s->second.status != "paused") ||
      s->second.updated_at > seen_updated_at)
    return false;
  s->second.status = "error";
  s->second.updated_at = tick();
  return true;
}

std::map<std::string, std::int64_t> fake_session_store::count_by_status() {
  check("count_by_status");
  std::lock_guard<std::mutex> guard{mu_};
  std::map<std::string, std::int64_t> out;
  for (const auto& [id, s] : sessions_)
    out[s.status]++;
  return out;
}

std::vector<session_record>
fake_session_store::list_sessions(const persistence::session_filter& f) {
  check("list_sessions");
  std::optional<std::int64_t> user_id;
  if (f.username) {
    auto u = users_ ? users_->find_by_username(*f.username) : std::nullopt;
    if (!u)
      return {};
    user_id = u->id;
  }
  std::lock_guard<std::mutex> guard{mu_};
  std::vector<session_record> out;
  for (const auto& [id, s] : sessions_)
    if ((!f.status || s.status == *f.status) &&
        (!user_id || s.user_id == *user_id))
      out.push_back(s);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.created_at > b.created_at;
  });
  if (f.limit >= 0 && out.size() > static_cast<std::size_t>(f.limit))
    out.resize(static_cast<std::size_t>(f.limit));
  return out;
}

} // namespace tryon::fakes
