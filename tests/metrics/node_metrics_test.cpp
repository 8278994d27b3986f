#include "metrics/node_metrics.hpp"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "promtool.hpp"
#include "real_parts.hpp"

using tryon::metrics::node_metrics;

namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

} // namespace

TEST(NodeMetricsTest, FrameCountersShowInJsonAndText) {
  node_metrics m;
  m.add_received(10);
  m.add_forwarded(7);
  m.add_processed(6);
  m.add_dropped(4);
  m.add_rejected(1);
  auto j = m.snapshot();
  EXPECT_EQ(j["frames"]["received"], 10);
  EXPECT_EQ(j["frames"]["forwarded"], 7);
  EXPECT_EQ(j["frames"]["processed"], 6);
  EXPECT_EQ(j["frames"]["dropped"], 4);
  EXPECT_EQ(j["frames"]["rejected"], 1);
  auto text = m.prometheus_text();
  EXPECT_TRUE(has_line(text, "tryon_frames_total{stage=\"received\"} 10"))
      << text;
  EXPECT_TRUE(has_line(text, "tryon_frames_total{stage=\"dropped\"} 4"));
  EXPECT_NE(text.find("# TYPE tryon_frames_total counter"), std::string::npos);
}

TEST(NodeMetricsTest, ErrorsAreCountedByCode) {
  node_metrics m;
  m.add_error("INVALID_JSON");
  m.add_error("INVALID_JSON");
  m.add_error("SESSION_EXPIRED");
  auto j = m.snapshot();
  EXPECT_EQ(j["errors"]["total"], 3);
  EXPECT_EQ(j["errors"]["by_code"]["INVALID_JSON"], 2);
  EXPECT_TRUE(
      has_line(m.prometheus_text(),
               "tryon_client_errors_total{code=\"SESSION_EXPIRED\"} 1"));
}

TEST(NodeMetricsTest, LatencyPercentilesAreInMilliseconds) {
  node_metrics m;
  auto empty = m.snapshot()["latency_ms"]["processing"];
  EXPECT_EQ(empty["p95"], 0.0); // no NaN in JSON
  for (int i = 1; i <= 100; ++i)
    m.observe_processing(i);
  m.observe_end_to_end(40);
  auto j = m.snapshot()["latency_ms"];
  EXPECT_EQ(j["processing"]["count"], 100);
  EXPECT_NEAR(j["processing"]["p50"].get<double>(), 50, 6);
  EXPECT_NEAR(j["processing"]["p95"].get<double>(), 95, 3);
  EXPECT_NEAR(j["processing"]["window_mean"].get<double>(), 50.5, 0.01);
  EXPECT_NEAR(j["end_to_end"]["p99"].get<double>(), 40, 0.01);
  auto text = m.prometheus_text();
  EXPECT_NE(text.find("tryon_processing_latency_seconds_bucket"),
            std::string::npos);
  EXPECT_NE(text.find("tryon_processing_latency_window_seconds{quantile="),
            std::string::npos);
}

TEST(NodeMetricsTest, GaugesFollowTheirEvents) {
  node_metrics m;
  m.ws_peers(1);
  m.ws_peers(1);
  m.ws_peers(-1);
  m.session_actors(1);
  m.capture_queued();
  m.capture_queued();
  m.capture_finished(true);
  m.capture_rejected();
  m.ws_refused(4008);
  m.sessions_expired(3);
  m.set_ai_link({1, 2, 3, 4});
  m.set_actors_running(9);
  auto j = m.snapshot();
  EXPECT_EQ(j["websocket"]["peers"], 1);
  EXPECT_EQ(j["websocket"]["refused_by_code"]["4008"], 1);
  EXPECT_EQ(j["session_actors"], 1);
  EXPECT_EQ(j["actors_running"], 9);
  EXPECT_EQ(j["capture"]["queue_depth"], 1);
  EXPECT_EQ(j["capture"]["saved"], 1);
  EXPECT_EQ(j["capture"]["rejected_busy"], 1);
  EXPECT_EQ(j["expiry"]["sessions_expired"], 3);
  EXPECT_GT(j["process"]["rss_bytes"].get<std::int64_t>(), 0);
  auto text = m.prometheus_text();
  // Sessions by status are cluster-wide (the database): a per-node gauge
  // of them would be multiplied by sum() over the nodes.
  EXPECT_EQ(text.find("tryon_sessions{"), std::string::npos);
  EXPECT_TRUE(has_line(text, "tryon_ai_link_in_flight 4"));
  EXPECT_NE(text.find("process_resident_memory_bytes"), std::string::npos);
}

TEST(NodeMetricsTest, CountersAreThreadSafe) {
  node_metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&m] {
      for (int i = 0; i < 10000; ++i) {
        m.add_received(1);
        m.add_error("X");
      }
    });
  for (auto& t : threads)
    t.join();
  auto j = m.snapshot();
  EXPECT_EQ(j["frames"]["received"], 40000);
  EXPECT_EQ(j["errors"]["by_code"]["X"], 40000);
}

TEST(NodeMetricsTest, HttpRequestsByRouteAndStatusClass) {
  node_metrics m;
  m.observe_http("/healthz", 200, 0.002);
  m.observe_http("/healthz", 204, 0.003);
  m.observe_http("/api/try-on/results/", 401, 0.004);
  auto text = m.prometheus_text();
  EXPECT_TRUE(has_line(text, "tryon_http_requests_total{route=\"/healthz\","
                             "status_class=\"2xx\"} 2"))
      << text;
  EXPECT_TRUE(has_line(text, "tryon_http_requests_total{route=\"/api/try-on/"
                             "results/\",status_class=\"4xx\"} 1"));
  EXPECT_TRUE(has_line(text, "tryon_http_request_duration_seconds_count{route="
                             "\"/healthz\",status_class=\"2xx\"} 2"));
  EXPECT_TRUE(has_line(text, "tryon_http_request_duration_seconds_bucket{route="
                             "\"/healthz\",status_class=\"2xx\",le=\"0.005\"} "
                             "2"));
}

TEST(NodeMetricsTest, WebSocketClosesByCode) {
  node_metrics m;
  m.ws_closed(1000);
  m.ws_closed(4009);
  m.ws_closed(4009);
  auto text = m.prometheus_text();
  EXPECT_TRUE(has_line(text, "tryon_websocket_closed_total{code=\"1000\"} 1"));
  EXPECT_TRUE(has_line(text, "tryon_websocket_closed_total{code=\"4009\"} 2"));
}

TEST(NodeMetricsTest, BuildInfoAndProcessFigures) {
  node_metrics m;
  m.set_build_info("1.2.3", "abc123");
  auto text = m.prometheus_text();
  EXPECT_TRUE(
      has_line(text, "tryon_build_info{commit=\"abc123\",version=\"1.2.3\"} 1"))
      << text;
  for (const char* name :
       {"# TYPE process_cpu_seconds_total counter",
        "# TYPE process_open_fds gauge", "# TYPE process_max_fds gauge",
        "# TYPE process_resident_memory_bytes gauge",
        "# TYPE process_virtual_memory_bytes gauge",
        "# TYPE process_start_time_seconds gauge"})
    EXPECT_NE(text.find(name), std::string::npos) << name;
  auto j = m.snapshot();
  // This test binary has stdin/stdout/stderr open at least.
  EXPECT_GE(j["process"]["open_fds"].get<std::int64_t>(), 3);
  EXPECT_GT(j["process"]["max_fds"].get<std::int64_t>(),
            j["process"]["open_fds"].get<std::int64_t>());
  EXPECT_GT(j["process"]["start_time_s"].get<double>(), 1.6e9);
  EXPECT_EQ(j["build"]["commit"], "abc123");
}

TEST(NodeMetricsTest, PromtoolAcceptsTheText) {
  TRYON_REQUIRE_REAL_PART(!tryon::testing::promtool_path().empty(),
                          "promtool (Debian package prometheus)");
  node_metrics m;
  m.set_build_info("0.1.0", "unknown");
  m.add_received(3);
  m.add_error("INVALID_JSON");
  m.observe_processing(12);
  m.observe_end_to_end(30);
  m.observe_http("/metrics", 200, 0.01);
  m.ws_closed(1001);
  m.ws_refused(4001);
  auto r = tryon::testing::promtool_check_metrics(m.prometheus_text());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output, "") << "promtool has remarks:\n" << r.output;
}
