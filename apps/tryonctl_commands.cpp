#include "apps/tryonctl_commands.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <ostream>
#include <set>

#include <nlohmann/json.hpp>

#include "apps/tryonctl_table.hpp"
#include "persistence/pg_admin.hpp"
#include "persistence/pg_database.hpp"
#include "persistence/redis_lease_store.hpp"
#include "persistence/store_error.hpp"

namespace tryon::ctl {

namespace {

using persistence::pg_database;
using ojson = nlohmann::ordered_json;

/// A command's own failure (not a database one): message for stderr.
struct command_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What a command works with.
struct env {
  pg_database& db;
  persistence::pg_admin& admin;
  const ctl_args& args;
  std::ostream& out;
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

std::string cell(const ojson& v) {
  if (v.is_null())
    return "";
  if (v.is_string())
    return v.get<std::string>();
  return v.dump();
}

/// Prints `rows` (objects with the keys of `header`, in order) as a table
/// or, with --json, as a JSON array.
void emit_rows(env& e, const table_row& header, const ojson& rows) {
  if (e.args.json) {
    e.out << rows.dump(2) << '\n';
    return;
  }
  std::vector<table_row> cells;
  for (const auto& r : rows) {
    table_row row;
    for (const auto& h : header)
      row.push_back(cell(r.value(h, ojson())));
    cells.push_back(std::move(row));
  }
  print_table(e.out, header, cells);
}

/// One value: bare as text, {key: value} as JSON.
void emit_value(env& e, const char* key, const ojson& v) {
  if (e.args.json)
    e.out << ojson{{key, v}}.dump() << '\n';
  else
    e.out << cell(v) << '\n';
}

/// A confirmation: nothing as text (the exit code says it), JSON otherwise.
void emit_done(env& e, ojson what) {
  if (e.args.json)
    e.out << what.dump() << '\n';
}

int user_create(env& e) {
  try {
    e.db.users.create_user(e.args.name, e.args.staff);
  } catch (const persistence::store_error& ex) {
    if (ex.conflict())
      throw command_error("user '" + e.args.name + "' already exists");
    throw;
  }
  emit_value(e, "token", *e.db.users.issue_token(e.args.name));
  return 0;
}

int user_list(env& e) {
  ojson rows = ojson::array();
  for (const auto& u : e.admin.list_users(limit_of(e.args)))
    rows.push_back({{"id", u.id},
                    {"username", u.username},
                    {"staff", u.is_staff},
                    {"active", u.is_active},
                    {"tokens", u.tokens},
                    {"date_joined", persistence::iso8601(u.date_joined)}});
  emit_rows(e, {"id", "username", "staff", "active", "tokens", "date_joined"},
            rows);
  return 0;
}

int user_delete(env& e) {
  if (!e.admin.delete_user(e.args.name))
    throw command_error("no such user '" + e.args.name + "'");
  emit_done(e, {{"deleted_user", e.args.name}});
  return 0;
}

int token_issue(env& e) {
  auto key = e.db.users.issue_token(e.args.name);
  if (!key)
    throw command_error("no such user '" + e.args.name + "'");
  emit_value(e, "token", *key);
  return 0;
}

int token_revoke(env& e) {
  if (!e.db.users.revoke_token(e.args.key))
    throw command_error("no such token");
  emit_done(e, {{"revoked", true}});
  return 0;
}

int token_list(env& e) {
  ojson rows = ojson::array();
  for (const auto& t : e.admin.list_tokens(e.args.user, limit_of(e.args)))
    rows.push_back({{"digest_prefix", t.digest_prefix},
                    {"user", t.username},
                    {"created", persistence::iso8601(t.created)}});
  emit_rows(e, {"digest_prefix", "user", "created"}, rows);
  return 0;
}

int token_delete(env& e) {
  if (e.args.key.size() < 8)
    throw command_error("give at least the 8 characters 'token list' shows");
  auto n = e.admin.delete_token(e.args.key);
  if (n == 0)
    throw command_error("no token's digest starts with '" + e.args.key + "'");
  if (n > 1)
    throw command_error(std::to_string(n) + " token digests start with '" +
                        e.args.key + "': give more characters");
  emit_done(e, {{"deleted_tokens", 1}});
  return 0;
}

int post_add(env& e) {
  emit_value(e, "id", e.db.posts.add_post(e.args.image_url, e.args.title).id);
  return 0;
}

int post_list(env& e) {
  ojson rows = ojson::array();
  for (const auto& p : e.admin.list_posts(limit_of(e.args)))
    rows.push_back({{"id", p.id},
                    {"title", p.title},
                    {"image_url", p.image_url},
                    {"created_at", persistence::iso8601(p.created_at)}});
  emit_rows(e, {"id", "title", "image_url", "created_at"}, rows);
  return 0;
}

int post_delete(env& e) {
  if (!e.admin.delete_post(e.args.post_id))
    throw command_error("no such post " + std::to_string(e.args.post_id));
  emit_done(e, {{"deleted_post", e.args.post_id}});
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

int sessions_list(env& e) {
  persistence::session_filter f;
  f.status = e.args.status;
  f.username = e.args.user;
  f.limit = limit_of(e.args);
  name_cache name{e.db};
  ojson rows = ojson::array();
  for (const auto& s : e.db.sessions.list_sessions(f))
    rows.push_back({{"session_id", s.id},
                    {"user", name(s.user_id)},
                    {"status", s.status},
                    {"created_at", persistence::iso8601(s.created_at)},
                    {"expires_at", persistence::iso8601(s.expires_at)}});
  emit_rows(e, {"session_id", "user", "status", "created_at", "expires_at"},
            rows);
  return 0;
}

int results_list(env& e) {
  std::optional<std::int64_t> user_id;
  if (e.args.user) {
    auto u = e.db.users.find_by_username(*e.args.user);
    if (!u)
      throw command_error("no such user '" + *e.args.user + "'");
    user_id = u->id;
  }
  name_cache name{e.db};
  ojson rows = ojson::array();
  for (const auto& r : e.db.results.list_all_results(user_id, limit_of(e.args)))
    rows.push_back(
        {{"id", r.id},
         {"session_id", r.session_id},
         {"user", name(r.user_id)},
         {"confidence",
          r.confidence_score ? ojson(*r.confidence_score) : ojson(nullptr)},
         {"processed_image", r.processed_image},
         {"created_at", persistence::iso8601(r.created_at)}});
  emit_rows(e,
            {"id", "session_id", "user", "confidence", "processed_image",
             "created_at"},
            rows);
  return 0;
}

bool looks_like_uuid(const std::string& s) {
  if (s.size() != 36)
    return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-') ||
        (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))))
      return false;
  }
  return true;
}

// How long tryonctl holds the lease it takes from the node: long enough
// for the node's renewal (a third of its TTL) to see it has lost it.
constexpr std::chrono::seconds kick_lease{30};

/// Ends a session: `completed` in the database, and its live connection
/// (if any) closed by its node with 4009. tryonctl takes the session's
/// lease in Redis and sends the take-over notice, as a newer connection on
/// another node would (docs/OPERATIONS.md, "Several nodes").
int session_kick(env& e) {
  const auto& id = e.args.session_id;
  if (!looks_like_uuid(id))
    throw command_error("not a session id: '" + id + "'");
  if (!e.db.sessions.find_session(id))
    throw command_error("no such session " + id);
  bool ended = e.admin.end_session(id);
  persistence::redis_lease_store leases{e.args.redis_url};
  std::optional<std::string> node = leases.owner(id);
  if (node) {
    leases.acquire(id, "tryonctl", kick_lease);
    leases.notify_taken(*node, id);
  }
  if (e.args.json)
    e.out << ojson{{"session_id", id},
                   {"ended", ended},
                   {"node", node ? ojson(*node) : ojson(nullptr)}}
                 .dump()
          << '\n';
  else
    e.out << (node ? "closed on node " + *node : "not connected") << "; "
          << (ended ? "marked completed" : "had already ended") << '\n';
  return 0;
}

using command_fn = std::function<int(env&)>;

const std::map<std::string, command_fn>& commands() {
  static const std::map<std::string, command_fn> all{
      {"migrate", [](env&) { return 0; }},
      {"user create", user_create},
      {"user list", user_list},
      {"user delete", user_delete},
      {"token issue", token_issue},
      {"token revoke", token_revoke},
      {"token list", token_list},
      {"token delete", token_delete},
      {"post add", post_add},
      {"post list", post_list},
      {"post delete", post_delete},
      {"sessions list", sessions_list},
      {"results list", results_list},
      {"session kick", session_kick},
  };
  return all;
}

} // namespace

bool read_only(const std::string& command) {
  static const std::set<std::string> readers{
      "user list", "token list", "post list", "sessions list", "results list"};
  return readers.count(command) > 0;
}

int run_command(const ctl_args& args, std::ostream& out, std::ostream& err) {
  auto cmd = commands().find(args.command);
  if (cmd == commands().end()) {
    err << "tryonctl: unknown command '" << args.command << "'\n";
    return 2;
  }
  try {
    pg_database db{args.database_url, 1};
    persistence::pg_admin admin{db.pool};
    if (read_only(args.command)) {
      // Reading never changes the schema, so it never migrates.
      if (int pending = admin.pending_migrations(); pending > 0)
        throw command_error("the database schema is not up to date (" +
                            std::to_string(pending) +
                            " migration(s) pending): run 'tryonctl migrate'");
    } else {
      int applied = db.migrate();
      if (args.command == "migrate") {
        if (args.json)
          out << ojson{{"applied", applied}}.dump() << '\n';
        else
          out << "applied " << applied << " migration(s)\n";
      }
    }
    env e{db, admin, args, out};
    return cmd->second(e);
  } catch (const command_error& e) {
    err << "tryonctl: " << one_line(e.what()) << '\n';
  } catch (const std::exception& e) {
    err << "tryonctl: " << args.command << ": " << one_line(e.what()) << '\n';
  }
  return 1;
}

} // namespace tryon::ctl
