// tryonctl: the operator CLI. Users, tokens, posts, sessions, results over
// the database; live figures over HTTP. Commands that write bring the
// schema up to date first; commands that only read never migrate.
//
//   tryonctl [--database-url URL] [--json] migrate
//   tryonctl user create NAME [--staff] | user list | user delete NAME
//   tryonctl token issue NAME | token revoke KEY | token list [--user NAME]
//            | token delete PREFIX     (8+ digest digits `token list` shows)
//   tryonctl post add IMAGE_URL [--title T] | post list | post delete ID
//   tryonctl sessions list [--status S] [--user NAME] [--limit N]
//   tryonctl results list [--user NAME] [--limit N]
//   tryonctl session kick ID [--redis-url URL]
//   tryonctl stats [--url URL] [--token KEY] [--ca-file PEM]   (a staff
//       token; over HTTP(S), no database needed)
//   tryonctl --version
//
// --json prints JSON (arrays for lists) instead of tables.
// Exit codes: 0 ok, 1 failure (one line on stderr), 2 usage error.

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "apps/tryonctl_commands.hpp"
#include "apps/tryonctl_stats.hpp"
#include "tryon_version.hpp"

namespace {

/// Adds `--limit N` (0 lists everything).
void add_limit(CLI::App* cmd, std::int64_t& limit) {
  cmd->add_option("--limit", limit, "Show at most N rows (0: all)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
}

/// An environment variable, or `fallback` when unset or empty.
std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

/// The "group sub" name of the leaf subcommand that was given.
std::string chosen_command(const CLI::App& app) {
  for (const auto* group : app.get_subcommands()) {
    auto leaves = group->get_subcommands();
    if (leaves.empty())
      return group->get_name();
    return group->get_name() + " " + leaves.front()->get_name();
  }
  return {};
}

/// A group of subcommands ("user", "token", ...) that needs one of them.
CLI::App* group(CLI::App& app, const char* name, const char* help) {
  return app.add_subcommand(name, help)->require_subcommand(1);
}

} // namespace

int main(int argc, char** argv) {
  tryon::ctl::ctl_args args;
  args.database_url =
      env_or("DATABASE_URL", "postgresql://tryon@127.0.0.1:55432/tryon");
  args.redis_url = env_or("REDIS_URL", "redis://127.0.0.1:56379");

  CLI::App app{"Operator commands for the try-on server."};
  app.name("tryonctl");
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string{"tryonctl "} + tryon::version +
                                        " (commit " + tryon::commit + ")");
  app.add_option("--database-url", args.database_url,
                 "PostgreSQL URL [env DATABASE_URL]")
      ->capture_default_str();
  app.add_flag("--json", args.json, "Print JSON instead of tables");

  app.add_subcommand("migrate", "Apply pending schema migrations");

  auto* user = group(app, "user", "Manage users");
  auto* user_create = user->add_subcommand("create", "Create a user, print "
                                                     "its API token");
  user_create->add_option("NAME", args.name, "Username")->required();
  user_create->add_flag("--staff", args.staff, "May read operator endpoints");
  add_limit(user->add_subcommand("list", "Every user, oldest first"),
            args.limit);
  user->add_subcommand("delete", "Delete a user and everything theirs")
      ->add_option("NAME", args.name, "Username")
      ->required();

  auto* token = group(app, "token", "Manage API tokens");
  token->add_subcommand("issue", "Issue a new token for a user, print it")
      ->add_option("NAME", args.name, "Username")
      ->required();
  token->add_subcommand("revoke", "Delete a token")
      ->add_option("KEY", args.key, "The token")
      ->required();
  auto* token_list = token->add_subcommand(
      "list", "Tokens (first 8 characters), newest first");
  token_list->add_option("--user", args.user, "Only this user's");
  add_limit(token_list, args.limit);
  token->add_subcommand("delete", "Delete the one token starting with PREFIX")
      ->add_option("PREFIX", args.key, "At least 8 characters of the key")
      ->required();

  auto* post = group(app, "post", "Manage nail-design posts");
  auto* post_add = post->add_subcommand("add", "Add a post, print its id");
  post_add->add_option("IMAGE_URL", args.image_url, "The design's image")
      ->required();
  post_add->add_option("--title", args.title, "Title");
  add_limit(post->add_subcommand("list", "Newest first"), args.limit);
  post->add_subcommand("delete", "Delete a post")
      ->add_option("ID", args.post_id, "The post id")
      ->required();

  auto* sessions = group(app, "sessions", "Inspect try-on sessions");
  auto* sessions_list = sessions->add_subcommand("list", "Newest first");
  sessions_list->add_option("--status", args.status, "Only this status")
      ->check(CLI::IsMember(
          {"initializing", "active", "paused", "completed", "error"}));
  sessions_list->add_option("--user", args.user, "Only this user's");
  add_limit(sessions_list, args.limit);

  auto* session = group(app, "session", "Act on one try-on session");
  auto* kick = session->add_subcommand(
      "kick", "End a session: completed, live connection closed (4009)");
  kick->add_option("ID", args.session_id, "The session id")->required();
  kick->add_option("--redis-url", args.redis_url,
                   "Redis URL, where nodes hold sessions [env REDIS_URL]")
      ->capture_default_str();

  auto* results = group(app, "results", "Inspect saved results");
  auto* results_list = results->add_subcommand("list", "Newest first");
  results_list->add_option("--user", args.user, "Only this user's");
  add_limit(results_list, args.limit);

  std::string url = env_or("TRYON_URL", "http://127.0.0.1:8000");
  std::string stats_token = env_or("TRYON_TOKEN", "");
  auto* stats = app.add_subcommand("stats", "Live figures of the server");
  stats->add_option("--url", url, "Server base URL [env TRYON_URL]")
      ->capture_default_str();
  stats->add_option("--token", stats_token, "A staff token [env TRYON_TOKEN]");
  std::string ca_file = env_or("TRYON_CA_FILE", "");
  stats->add_option("--ca-file", ca_file,
                    "PEM CAs to trust for an https:// URL (default: "
                    "$TRYON_CA_FILE, else the system's)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success))
      return app.exit(e); // --help, --version
    std::cerr << "tryonctl: " << e.what() << " (see --help)\n";
    return 2;
  }
  args.command = chosen_command(app);
  if (args.command == "stats")
    return tryon::ctl::run_stats(url, stats_token, ca_file, args.json,
                                 std::cout, std::cerr);
  return tryon::ctl::run_command(args, std::cout, std::cerr);
}
