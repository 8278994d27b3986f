#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace tryon::ctl {

/// Everything the command line said, after parsing.
struct ctl_args {
  std::string database_url;          ///< --database-url or DATABASE_URL
  std::string command;               ///< "user create", "post add", ...
  std::string name;                  ///< user create / token issue NAME
  bool staff = false;                ///< user create --staff
  std::string key;                   ///< token revoke KEY
  std::string image_url;             ///< post add IMAGE_URL
  std::string title;                 ///< post add --title
  std::optional<std::string> status; ///< sessions list --status
  std::optional<std::string> user;   ///< sessions/results list --user
  std::int64_t limit = 50;           ///< list --limit (0: all)
};

/// Applies migrations, then runs `args.command` against the database.
/// Results go to `out`, one-line errors to `err`; returns the exit code
/// (0 ok, 1 failure).
int run_command(const ctl_args& args, std::ostream& out, std::ostream& err);

} // namespace tryon::ctl
