// deploy/grafana/tryon-dashboard.json is well-formed and every metric it
// queries exists: in what tryon-server or tryon-ai export (node_metrics,
// ai_metrics, with every labelled series touched once), in what Prometheus
// itself adds (up), or as a recording rule of deploy/prometheus/.

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ai_service/ai_metrics.hpp"
#include "metrics/node_metrics.hpp"

namespace {

std::string read_file(const std::string& rel) {
  std::ifstream in{std::string{TRYON_SOURCE_DIR} + "/" + rel};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Every series name in an exposition text (samples, not comments).
std::set<std::string> exported_names(const std::string& text) {
  std::set<std::string> out;
  std::istringstream lines{text};
  std::string line;
  static const std::regex name{R"(^([a-zA-Z_:][a-zA-Z0-9_:]*))"};
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!line.empty() && line[0] != '#' && std::regex_search(line, m, name))
      out.insert(m[1]);
  }
  return out;
}

/// `record:` names of a rules file.
std::set<std::string> recorded_names(const std::string& yaml) {
  std::set<std::string> out;
  static const std::regex record{R"(record:\s*([a-zA-Z_:][a-zA-Z0-9_:]*))"};
  for (std::sregex_iterator it{yaml.begin(), yaml.end(), record}, end;
       it != end; ++it)
    out.insert((*it)[1]);
  return out;
}

/// Every `expr` in the dashboard's panels (rows included).
void collect_exprs(const nlohmann::json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    if (auto it = j.find("expr"); it != j.end() && it->is_string())
      out.push_back(*it);
    for (const auto& [k, v] : j.items())
      collect_exprs(v, out);
  } else if (j.is_array()) {
    for (const auto& v : j)
      collect_exprs(v, out);
  }
}

/// Metric names a PromQL expression refers to: identifiers that are not
/// functions, keywords, label names (inside {} or by/without lists) or
/// durations.
std::set<std::string> metric_names(const std::string& expr) {
  // Drop label matchers, grouping lists, strings and ranges first.
  std::string s = std::regex_replace(expr, std::regex{R"(\{[^}]*\})"}, " ");
  s = std::regex_replace(s, std::regex{R"("[^"]*")"}, " ");
  s = std::regex_replace(s, std::regex{R"(\[[^\]]*\])"}, " ");
  s = std::regex_replace(
      s, std::regex{R"(\b(by|without|on|ignoring)\s*\([^)]*\))"}, " ");
  static const std::set<std::string> not_metrics{
      "sum",   "rate",    "increase",  "histogram_quantile",
      "max",   "min",     "avg",       "count",
      "time",  "and",     "or",        "unless",
      "by",    "without", "clamp_min", "irate",
      "delta", "abs",     "topk",      "bottomk"};
  std::set<std::string> out;
  static const std::regex ident{R"([a-zA-Z_:][a-zA-Z0-9_:]*)"};
  for (std::sregex_iterator it{s.begin(), s.end(), ident}, end; it != end;
       ++it) {
    std::string id = (*it)[0];
    // Followed by "(": a function.
    auto after = static_cast<std::size_t>(it->position() + it->length());
    while (after < s.size() && s[after] == ' ')
      ++after;
    if ((after < s.size() && s[after] == '(') || not_metrics.count(id))
      continue;
    out.insert(id);
  }
  return out;
}

} // namespace

TEST(DashboardTest, IsJsonAndEveryQueriedMetricExists) {
  auto text = read_file("deploy/grafana/tryon-dashboard.json");
  ASSERT_FALSE(text.empty()) << "deploy/grafana/tryon-dashboard.json missing";
  auto dash = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(dash.is_discarded()) << "the dashboard is not valid JSON";
  ASSERT_TRUE(dash.contains("panels") && dash["panels"].is_array());
  EXPECT_EQ(dash.value("uid", ""), "tryon-server");

  // What the binaries export, every labelled family touched once.
  tryon::metrics::node_metrics node;
  node.set_build_info("0", "x");
  node.add_error("X");
  node.ws_refused(4001);
  node.ws_closed(1000);
  node.observe_http("/healthz", 200, 0.001);
  tryon::ai::ai_metrics ai;
  ai.error("X");
  auto known = exported_names(node.prometheus_text());
  auto ai_names = exported_names(ai.prometheus_text(0));
  known.insert(ai_names.begin(), ai_names.end());
  auto rules = recorded_names(read_file("deploy/prometheus/tryon.rules.yml"));
  ASSERT_FALSE(rules.empty()) << "no recording rules found";
  known.insert(rules.begin(), rules.end());
  known.insert("up"); // added by Prometheus per target

  std::vector<std::string> exprs;
  collect_exprs(dash["panels"], exprs);
  ASSERT_GE(exprs.size(), 20u);
  std::set<std::string> used;
  for (const auto& e : exprs)
    for (const auto& name : metric_names(e)) {
      used.insert(name);
      EXPECT_TRUE(known.count(name))
          << "the dashboard queries '" << name << "' (in: " << e
          << "), which neither server exports nor a rule records";
    }
  // The figures the issue asks for are all on it.
  for (const char* must :
       {"up", "tryon_build_info", "tryon_websocket_peers",
        "tryon_ai_link_connections_up", "tryon:frames:rate1m",
        "tryon:frames_dropped:ratio_rate5m",
        "tryon:end_to_end_latency_seconds:p99_5m", "tryon_ai_frames_total",
        "tryon:http_requests:rate5m", "tryon_websocket_closed_total",
        "tryon_capture_failures_total", "process:open_fds:ratio",
        "process_cpu_seconds_total", "process_resident_memory_bytes"})
    EXPECT_TRUE(used.count(must)) << "the dashboard does not show " << must;
}

TEST(DashboardTest, ExtractorFindsMetricsNotFunctionsOrLabels) {
  auto n = metric_names(
      R"(histogram_quantile(0.99, sum by (le, route) (rate(a_bucket{x="y"}[5m]))) / b)");
  EXPECT_EQ(n, (std::set<std::string>{"a_bucket", "b"}));
}
