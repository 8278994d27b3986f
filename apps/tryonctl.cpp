// tryonctl: the operator CLI. Creates users and tokens, adds posts, lists
// sessions and results. Every command first brings the schema up to date.
//
//   tryonctl [--database-url URL] migrate
//   tryonctl user create NAME [--staff]        -> prints the new token
//   tryonctl token issue NAME                  -> prints the new token
//   tryonctl token revoke KEY
//   tryonctl post add IMAGE_URL [--title T]    -> prints the new post id
//   tryonctl sessions list [--status S] [--user NAME] [--limit N]
//   tryonctl results list [--user NAME] [--limit N]
//   tryonctl stats [--url URL] [--token KEY] [--ca-file PEM]   -> live figures
//   (a staff
//       token; defaults $TRYON_URL or http://127.0.0.1:8000, $TRYON_TOKEN);
//       fetched from the server's /api/try-on/stats/, no database needed
//
// Exit codes: 0 ok, 1 failure (one line on stderr), 2 usage error.

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "apps/tryonctl_commands.hpp"
#include "apps/tryonctl_stats.hpp"

namespace {

constexpr const char* k_default_database_url =
    "postgresql://tryon@127.0.0.1:55432/tryon";

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

} // namespace

int main(int argc, char** argv) {
  tryon::ctl::ctl_args args;
  const char* env_url = std::getenv("DATABASE_URL");
  args.database_url = env_url != nullptr ? env_url : k_default_database_url;

  CLI::App app{"Operator commands for the try-on server."};
  app.name("tryonctl");
  app.require_subcommand(1);
  app.add_option("--database-url", args.database_url,
                 "PostgreSQL URL (default: $DATABASE_URL)");

  app.add_subcommand("migrate", "Apply pending schema migrations");

  auto* user =
      app.add_subcommand("user", "Manage users")->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "Create a user, print "
                                                     "its API token");
  user_create->add_option("NAME", args.name, "Username")->required();
  user_create->add_flag("--staff", args.staff, "May read operator endpoints");

  auto* token =
      app.add_subcommand("token", "Manage API tokens")->require_subcommand(1);
  token->add_subcommand("issue", "Issue a new token for a user, print it")
      ->add_option("NAME", args.name, "Username")
      ->required();
  token->add_subcommand("revoke", "Delete a token")
      ->add_option("KEY", args.key, "The token")
      ->required();

  auto* post = app.add_subcommand("post", "Manage nail-design posts")
                   ->require_subcommand(1);
  auto* post_add = post->add_subcommand("add", "Add a post, print its id");
  post_add->add_option("IMAGE_URL", args.image_url, "The design's image")
      ->required();
  post_add->add_option("--title", args.title, "Title");

  auto* sessions = app.add_subcommand("sessions", "Inspect try-on sessions")
                       ->require_subcommand(1);
  auto* sessions_list = sessions->add_subcommand("list", "Newest first");
  sessions_list->add_option("--status", args.status, "Only this status")
      ->check(CLI::IsMember(
          {"initializing", "active", "paused", "completed", "error"}));
  sessions_list->add_option("--user", args.user, "Only this user's");
  add_limit(sessions_list, args.limit);

  auto* results = app.add_subcommand("results", "Inspect saved results")
                      ->require_subcommand(1);
  auto* results_list = results->add_subcommand("list", "Newest first");
  results_list->add_option("--user", args.user, "Only this user's");
  add_limit(results_list, args.limit);

  std::string url = env_or("TRYON_URL", "http://127.0.0.1:8000");
  std::string stats_token = env_or("TRYON_TOKEN", "");
  auto* stats = app.add_subcommand("stats", "Live figures of the server");
  stats->add_option("--url", url, "Server base URL (default: $TRYON_URL)")
      ->capture_default_str();
  stats->add_option("--token", stats_token,
                    "A staff token (default: $TRYON_TOKEN)");
  std::string ca_file = env_or("TRYON_CA_FILE", "");
  stats->add_option("--ca-file", ca_file,
                    "PEM CAs to trust for an https:// URL (default: "
                    "$TRYON_CA_FILE, else the system's)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success))
      return app.exit(e); // --help
    std::cerr << "tryonctl: " << e.what() << " (see --help)\n";
    return 2;
  }
  args.command = chosen_command(app);
  if (args.command == "stats")
    return tryon::ctl::run_stats(url, stats_token, ca_file, std::cout,
                                 std::cerr);
  return tryon::ctl::run_command(args, std::cout, std::cerr);
}
