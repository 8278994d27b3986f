#include "tests/fakes/fake_user_store.hpp"

#include "persistence/random_hex.hpp"

namespace tryon::fakes {

using persistence::user;

std::optional<user> fake_user_store::find_by_token(const std::string& key) {
  check("find_by_token");
  std::lock_guard<std::mutex> guard{mu_};
  auto t = tokens_.find(key);
  if (t == tokens_.end() || !active_[t->second])
    return std::nullopt;
  return users_.at(t->second);
}

std::optional<user> fake_user_store::find_by_id(std::int64_t id) {
  check("find_by_id");
  std::lock_guard<std::mutex> guard{mu_};
  auto u = users_.find(id);
  if (u == users_.end())
    return std::nullopt;
  return u->second;
}

user fake_user_store::create_user(const std::string& username, bool is_staff) {
  check("create_user");
  std::lock_guard<std::mutex> guard{mu_};
  for (const auto& [id, u] : users_)
    if (u.username == username)
      throw persistence::store_error("username taken: " + username, true);
  user u{next_id_++, username, is_staff};
  users_[u.id] = u;
  active_[u.id] = true;
  return u;
}

std::optional<std::string>
fake_user_store::issue_token(const std::string& username) {
  check("issue_token");
  auto u = find_by_username(username);
  if (!u)
    return std::nullopt;
  auto key = persistence::random_hex(20);
  std::lock_guard<std::mutex> guard{mu_};
  tokens_[key] = u->id;
  return key;
}

bool fake_user_store::revoke_token(const std::string& key) {
  check("revoke_token");
  std::lock_guard<std::mutex> guard{mu_};
  return tokens_.erase(key) == 1;
}

std::optional<user>
fake_user_store::find_by_username(const std::string& name) const {
  std::lock_guard<std::mutex> guard{mu_};
  for (const auto& [id, u] : users_)
    if (u.username == name)
      return u;
  return std::nullopt;
}

std::string fake_user_store::add_user_with_token(const std::string& username,
                                                 bool is_staff) {
  create_user(username, is_staff);
  return *issue_token(username);
}

void fake_user_store::deactivate(std::int64_t id) {
  std::lock_guard<std::mutex> guard{mu_};
  active_[id] = false;
}

} // namespace tryon::fakes
