#include "apps/tryonctl_stats.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>
#include <vector>

#include "apps/tryonctl_http.hpp"
#include "apps/tryonctl_table.hpp"

namespace tryon::ctl {

namespace {

using nlohmann::json;

/// A figure: its label and where it sits in a node's JSON.
struct figure {
  const char* label;
  const char* pointer;
  double scale = 1;
};

const std::vector<figure>& figures() {
  static const std::vector<figure> all{
      {"live sessions", "/live_sessions"},
      {"session actors", "/session_actors"},
      {"actors running", "/actors_running"},
      {"websocket peers", "/websocket/peers"},
      {"frames received", "/frames/received"},
      {"frames forwarded", "/frames/forwarded"},
      {"frames processed", "/frames/processed"},
      {"frames dropped", "/frames/dropped"},
      {"frames rejected", "/frames/rejected"},
      {"errors", "/errors/total"},
      {"AI connections up", "/ai_link/connections_up"},
      {"AI connections", "/ai_link/connections_total"},
      {"AI sessions", "/ai_link/sessions"},
      {"AI frames in flight", "/ai_link/in_flight"},
      {"processing p50 ms", "/latency_ms/processing/p50"},
      {"processing p95 ms", "/latency_ms/processing/p95"},
      {"processing p99 ms", "/latency_ms/processing/p99"},
      {"end-to-end p50 ms", "/latency_ms/end_to_end/p50"},
      {"end-to-end p95 ms", "/latency_ms/end_to_end/p95"},
      {"end-to-end p99 ms", "/latency_ms/end_to_end/p99"},
      {"capture queue", "/capture/queue_depth"},
      {"captures saved", "/capture/saved"},
      {"capture failures", "/capture/failed"},
      {"captures refused (busy)", "/capture/rejected_busy"},
      {"sessions expired (sweep)", "/expiry/sessions_expired"},
      {"RSS MiB", "/process/rss_bytes", 1.0 / (1024 * 1024)},
      {"CPU s", "/process/cpu_seconds"},
      {"open fds", "/process/open_fds"},
      {"fd limit", "/process/max_fds"},
      {"uptime s", "/process/uptime_s"},
  };
  return all;
}

/// A number as a cell: integers plainly, others with one decimal.
std::string cell(const json& node, const figure& f) {
  auto p = json::json_pointer(f.pointer);
  if (!node.contains(p) || !node.at(p).is_number())
    return "-";
  if (node.at(p).is_number_integer() && f.scale == 1)
    return std::to_string(node.at(p).get<std::int64_t>());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", node.at(p).get<double>() * f.scale);
  return buf;
}

} // namespace

void print_stats(const json& stats, std::ostream& out) {
  out << "node " << stats.value("node_id", "?") << " at "
      << stats.value("published_at", "?") << "\n\n";
  std::vector<table_row> rows;
  if (stats.contains("sessions_by_status") &&
      stats["sessions_by_status"].is_object())
    for (auto& [status, n] : stats["sessions_by_status"].items())
      rows.push_back({status, n.dump()});
  print_table(out, {"sessions (database)", "count"}, rows);

  json nodes = stats.value("per_node", json::object());
  if (nodes.empty())
    nodes[stats.value("node_id", "this node")] = stats;
  table_row header{"figure"};
  for (auto& [id, node] : nodes.items())
    header.push_back(id);
  rows.clear();
  for (const auto& f : figures()) {
    table_row row{f.label};
    for (auto& [id, node] : nodes.items())
      row.push_back(cell(node, f));
    rows.push_back(std::move(row));
  }
  out << '\n';
  print_table(out, header, rows);

  rows.clear();
  auto codes = json::json_pointer("/errors/by_code");
  if (stats.contains(codes))
    for (auto& [code, n] : stats.at(codes).items())
      rows.push_back({code, n.dump()});
  if (!rows.empty()) {
    out << '\n';
    print_table(out, {"errors on this node", "count"}, rows);
  }
}

int run_stats(const std::string& base_url, const std::string& token,
              const std::string& ca_file, bool as_json, std::ostream& out,
              std::ostream& err) {
  auto url = base_url;
  while (!url.empty() && url.back() == '/')
    url.pop_back();
  try {
    auto r = http_get(url + "/api/try-on/stats/", token, ca_file);
    auto body = json::parse(r.body, nullptr, false);
    if (r.status != 200) {
      std::string detail = body.is_object() ? body.value("detail", "") : "";
      err << "tryonctl: stats: HTTP " << r.status
          << (detail.empty() ? "" : ": " + detail) << '\n';
      return 1;
    }
    if (!body.is_object()) {
      err << "tryonctl: stats: the answer is not a JSON object\n";
      return 1;
    }
    if (as_json)
      out << body.dump(2) << '\n';
    else
      print_stats(body, out);
    return 0;
  } catch (const std::exception& e) {
    err << "tryonctl: stats: " << e.what() << '\n';
    return 1;
  }
}

} // namespace tryon::ctl
