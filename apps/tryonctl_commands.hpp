#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace tryon::ctl {

/// Everything the command line said, after parsing.
struct ctl_args {
  std::string database_url;          ///< --database-url or DATABASE_URL
  std::string redis_url;             ///< --redis-url or REDIS_URL
  std::string command;               ///< "user create", "post add", ...
  bool json = false;                 ///< --json: JSON instead of tables
  std::string name;                  ///< user create/delete, token issue NAME
  bool staff = false;                ///< user create --staff
  std::string key;                   ///< token revoke KEY / delete PREFIX
  std::string image_url;             ///< post add IMAGE_URL
  std::string title;                 ///< post add --title
  std::int64_t post_id = 0;          ///< post delete ID
  std::string session_id;            ///< session kick ID
  std::optional<std::string> status; ///< sessions list --status
  std::optional<std::string> user;   ///< list --user
  std::int64_t limit = 50;           ///< list --limit (0: all)
};

/// Whether `command` only reads: such commands never migrate (they fail
/// with a clear message when the schema is behind).
bool read_only(const std::string& command);

/// Runs `args.command` against the database (commands that write first
/// bring the schema up to date). Results go to `out`, one-line errors to
/// `err`; returns the exit code (0 ok, 1 failure).
int run_command(const ctl_args& args, std::ostream& out, std::ostream& err);

} // namespace tryon::ctl
