#include "apps/tryonctl_commands.hpp"

#include <functional>
#include <map>
#include <ostream>
#include <sstream>

#include "apps/tryonctl_table.hpp"
#include "persistence/pg_database.hpp"
#include "persistence/store_error.hpp"

namespace tryon::ctl {

namespace {

using persistence::pg_database;

/// A command's own failure (not a database one): message for stderr.
struct command_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Driver messages span lines; the CLI promises one.
std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\t' || c == '\r')
      c = ' ';
  while (!s.empty() && s.back() == ' ')
    s.pop_back();
  return s;
}

std::int64_t limit_of(const ctl_args& a) {
  return a.limit <= 0 ? -1 : a.limit;
}

int user_create(pg_database& db, const ctl_args& a, std::ostream& out) {
  try {
    db.users.create_user(a.name, a.staff);
  } catch (const persistence::store_error& e) {
    if (e.conflict())
      throw command_error("user '" + a.name + "' already exists");
    throw;
  }
  out << *db.users.issue_token(a.name) << '\n';
  return 0;
}

int token_issue(pg_database& db, const ctl_args& a, std::ostream& out) {
  auto key = db.users.issue_token(a.name);
  if (!key)
    throw command_error("no such user '" + a.name + "'");
  out << *key << '\n';
  return 0;
}

int token_revoke(pg_database& db, const ctl_args& a, std::ostream&) {
  if (!db.users.revoke_token(a.key))
    throw command_error("no such token");
  return 0;
}

int post_add(pg_database& db, const ctl_args& a, std::ostream& out) {
  out << db.posts.add_post(a.image_url, a.title).id << '\n';
  return 0;
}

/// Usernames by id, looked up once each.
class name_cache {
public:
  explicit name_cache(pg_database& db) : db_(db) {}
  const std::string& operator()(std::int64_t id) {
    auto it = names_.find(id);
    if (it == names_.end()) {
      auto u = db_.users.find_by_id(id);
      it = names_.emplace(id, u ? u->username : "#" + std::to_string(id)).first;
    }
    return it->second;
  }

private:
  pg_database& db_;
  std::map<std::int64_t, std::string> names_;
};

int sessions_list(pg_database& db, const ctl_args& a, std::ostream& out) {
  persistence::session_filter f;
  f.status = a.status;
  f.username = a.user;
  f.limit = limit_of(a);
  name_cache name{db};
  std::vector<table_row> rows;
  for (const auto& s : db.sessions.list_sessions(f))
    rows.push_back({s.id, name(s.user_id), s.status,
                    persistence::iso8601(s.created_at),
                    persistence::iso8601(s.expires_at)});
  print_table(out, {"session_id", "user", "status", "created_at", "expires_at"},
              rows);
  return 0;
}

int results_list(pg_database& db, const ctl_args& a, std::ostream& out) {
  std::optional<std::int64_t> user_id;
  if (a.user) {
    auto u = db.users.find_by_username(*a.user);
    if (!u)
      throw command_error("no such user '" + *a.user + "'");
    user_id = u->id;
  }
  name_cache name{db};
  std::vector<table_row> rows;
  for (const auto& r : db.results.list_all_results(user_id, limit_of(a))) {
    std::ostringstream confidence;
    if (r.confidence_score)
      confidence << *r.confidence_score;
    rows.push_back({std::to_string(r.id), r.session_id, name(r.user_id),
                    confidence.str(), r.processed_image,
                    persistence::iso8601(r.created_at)});
  }
  print_table(out,
              {"id", "session_id", "user", "confidence", "processed_image",
               "created_at"},
              rows);
  return 0;
}

using command_fn =
    std::function<int(pg_database&, const ctl_args&, std::ostream&)>;

const std::map<std::string, command_fn>& commands() {
  static const std::map<std::string, command_fn> all{
      {"migrate", [](auto&, auto&, auto&) { return 0; }},
      {"user create", user_create},
      {"token issue", token_issue},
      {"token revoke", token_revoke},
      {"post add", post_add},
      {"sessions list", sessions_list},
      {"results list", results_list},
  };
  return all;
}

} // namespace

int run_command(const ctl_args& args, std::ostream& out, std::ostream& err) {
  auto cmd = commands().find(args.command);
  if (cmd == commands().end()) {
    err << "tryonctl: unknown command '" << args.command << "'\n";
    return 2;
  }
  try {
    pg_database db{args.database_url, 1};
    int applied = db.migrate();
    if (args.command == "migrate")
      out << "applied " << applied << " migration(s)\n";
    return cmd->second(db, args, out);
  } catch (const command_error& e) {
    err << "tryonctl: " << one_line(e.what()) << '\n';
  } catch (const std::exception& e) {
    err << "tryonctl: " << args.command << ": " << one_line(e.what()) << '\n';
  }
  return 1;
}

} // namespace tryon::ctl
