#pragma once

#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

namespace tryon::ctl {

/// `tryonctl stats`: GETs `<base_url>/api/try-on/stats/` with `token` (a
/// staff user's) and prints it with print_stats (`json`: as received,
/// indented); an https:// server is verified against `ca_file` when it is
/// not empty. Returns the exit code (0 ok, 1 failure with one line on
/// `err`).
int run_stats(const std::string& base_url, const std::string& token,
              const std::string& ca_file, bool json, std::ostream& out,
              std::ostream& err);

/// Prints the stats endpoint's JSON as a readable report: sessions by
/// status, then one column of figures per node, then this node's errors.
void print_stats(const nlohmann::json& stats, std::ostream& out);

} // namespace tryon::ctl
