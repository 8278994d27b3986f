#include "bench/harness/run_report.hpp"

#include <gtest/gtest.h>

using namespace tryon::bench;

namespace {

proc_sample at(double cpu_s, std::uint64_t rss_kb) {
  proc_sample s;
  s.cpu_s = cpu_s;
  s.rss_kb = rss_kb;
  return s;
}

run_report sample_report() {
  run_report r;
  r.mode = "stream";
  r.target = "http://127.0.0.1:8100";
  r.sessions_asked = 50;
  r.sessions_ready = 50;
  r.fps_asked = 25;
  r.window_s = 10;
  r.window_start_s = 5;
  r.sent = 12500;
  r.processed = 12400;
  r.dropped = 90;
  r.failed = 5;
  r.bytes_out = 12500ull * 62000;
  r.bytes_in = 12400ull * 61000;
  for (int i = 1; i <= 1000; ++i)
    r.latency.record(static_cast<std::uint64_t>(i) * 10); // 10 µs .. 10 ms
  process_trace server{"server", 123, {}, {}, {}, {}};
  server.baseline = at(1.0, 50000);
  server.window_start = at(2.0, 60000);
  server.window_end = at(3.25, 70000);
  for (int t = 0; t <= 20; ++t)
    server.rss_timeline.emplace_back(t, 60000 + (t >= 5 ? 100 * (t - 5) : 0));
  r.processes.push_back(server);
  r.server_stats_before = {{"frames", 10}, {"ai", {{"results", 3}}}};
  r.server_stats_after = {{"frames", 25}, {"ai", {{"results", 9}}}, {"x", 1}};
  return r;
}

} // namespace

TEST(RunReport, DerivedFigures) {
  auto r = sample_report();
  auto f = compute_figures(r);
  EXPECT_DOUBLE_EQ(f.fps_sent_per_session, 25.0);
  EXPECT_DOUBLE_EQ(f.fps_processed_per_session, 24.8);
  EXPECT_DOUBLE_EQ(f.frames_per_s, 1240.0);
  EXPECT_DOUBLE_EQ(f.drop_pct, 0.72);
  EXPECT_DOUBLE_EQ(f.unanswered, 5.0);
  EXPECT_NEAR(f.p50_ms, 5.0, 0.1);
  EXPECT_NEAR(f.p99_ms, 9.9, 0.2);
  EXPECT_DOUBLE_EQ(f.max_ms, 10.0);
}

TEST(RunReport, ProcessFigures) {
  auto r = sample_report();
  auto p = compute_process(r, r.processes[0]);
  ASSERT_TRUE(p.cpu_s);
  EXPECT_DOUBLE_EQ(*p.cpu_s, 1.25);
  EXPECT_DOUBLE_EQ(*p.cpu_us_per_frame, 100.0); // 1.25 s / 12500 frames
  EXPECT_DOUBLE_EQ(*p.cpu_us_per_session_s, 2500.0);
  EXPECT_DOUBLE_EQ(*p.rss_per_session_kb, 400.0); // (70000 - 50000) / 50
  EXPECT_EQ(p.rss_peak_kb, 70000u); // window_end beats the timeline
  ASSERT_TRUE(p.rss_slope_kb_per_min);
  EXPECT_NEAR(*p.rss_slope_kb_per_min, 6000.0, 1e-6); // 100 kB/s in window
}

TEST(RunReport, SlopeNeedsThreePoints) {
  EXPECT_FALSE(slope_per_minute({{0, 1}, {1, 2}}));
  EXPECT_FALSE(slope_per_minute({{1, 1}, {1, 2}, {1, 3}}));
  EXPECT_NEAR(*slope_per_minute({{0, 10}, {60, 10}, {120, 10}}), 0.0, 1e-9);
}

TEST(RunReport, NumericDelta) {
  auto r = sample_report();
  auto d = numeric_delta(r.server_stats_before, r.server_stats_after);
  EXPECT_EQ(d["frames"], 15.0);
  EXPECT_EQ(d["ai"]["results"], 6.0);
  EXPECT_FALSE(d.contains("x"));
  EXPECT_TRUE(numeric_delta(nullptr, r.server_stats_after).is_null());
}

TEST(RunReport, JsonHasEveryFigure) {
  auto j = report_json(sample_report());
  EXPECT_EQ(j["mode"], "stream");
  EXPECT_EQ(j["frames"]["sent"], 12500);
  EXPECT_DOUBLE_EQ(j["rate"]["fps_sent_per_session"].get<double>(), 25.0);
  EXPECT_TRUE(j["latency_ms"].contains("p99"));
  EXPECT_DOUBLE_EQ(j["processes"]["server"]["cpu_us_per_frame"].get<double>(),
                   100.0);
  EXPECT_EQ(j["server_stats"]["delta"]["frames"], 15.0);
  EXPECT_EQ(j["processes"]["server"]["rss_timeline"].size(), 21u);
}

TEST(RunReport, TableShowsTheHeadlineFigures) {
  auto text = report_table(sample_report(), false);
  EXPECT_NE(text.find("p99"), std::string::npos);
  EXPECT_NE(text.find("dropped 90 (0.72 %)"), std::string::npos);
  EXPECT_NE(text.find("server"), std::string::npos);
  EXPECT_NE(text.find("100.0"), std::string::npos); // cpu us per frame
  EXPECT_EQ(text.find("s1-row"), std::string::npos);
  auto r = sample_report();
  r.sessions.push_back({"s1-row", true, 1, 1, 0, 0, 0, 0});
  EXPECT_NE(report_table(r, true).find("s1-row"), std::string::npos);
}

TEST(RunReport, QuotaRefusalsComeWithAHint) {
  auto r = sample_report();
  EXPECT_EQ(report_table(r, false).find("hint"), std::string::npos);
  r.error_codes["RATE_LIMITED"] = 20;
  auto text = report_table(r, false);
  EXPECT_NE(text.find("RATE_LIMITED                 20"), std::string::npos);
  EXPECT_NE(text.find("TRYON_MAX_LIVE_SESSIONS_PER_USER=0"), std::string::npos);
}

TEST(RunReport, UploadIsWhatWasWrittenAndWhatTheServerAcked) {
  auto r = sample_report();
  r.bytes_acked = 6250000; // 0.625 MB/s over 10 s: 5 Mbit/s
  auto f = compute_figures(r);
  EXPECT_DOUBLE_EQ(f.bytes_acked_per_s, 625000.0);
  EXPECT_DOUBLE_EQ(f.frame_bytes_sent, 62000.0);
  auto j = report_json(r);
  EXPECT_EQ(j["upload"]["bytes_written"], 12500ull * 62000);
  EXPECT_EQ(j["upload"]["bytes_acked"], 6250000u);
  EXPECT_DOUBLE_EQ(j["upload"]["mbit_per_s"].get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(j["upload"]["bytes_written_per_s"].get<double>(),
                   77500000.0);
  auto text = report_table(r, false);
  EXPECT_NE(text.find("upload     775.00 MB written (60.5 KB per frame sent), "
                      "6.25 MB acked by the server = 5.00 Mbit/s"),
            std::string::npos)
      << text;
}

TEST(RunReport, HintsReceivedAndTheLastOne) {
  auto r = sample_report();
  EXPECT_EQ(report_table(r, false).find("hints"), std::string::npos);
  auto j = report_json(r);
  EXPECT_EQ(j["hints"]["enabled"], false);
  EXPECT_EQ(j["hints"]["received"], 0);
  EXPECT_TRUE(j["hints"]["last"].is_null());
  r.stream_hints = true;
  EXPECT_NE(report_table(r, false).find("hints      0 received\n"),
            std::string::npos);
  r.hints = 3;
  r.hints_by_reason = {{"uplink", 2}, {"clear", 1}};
  stream_hint last;
  last.fps = 12;
  last.jpeg_quality = 60;
  last.max_width = 960;
  last.reason = "uplink";
  last.timestamp = 1764711965123;
  r.last_hint = last;
  auto text = report_table(r, false);
  EXPECT_NE(text.find("hints      3 received (clear 1, uplink 2); last: fps "
                      "12, jpeg_quality 60, max_width 960 (uplink)\n"),
            std::string::npos)
      << text;
  j = report_json(r);
  EXPECT_EQ(j["hints"]["enabled"], true);
  EXPECT_EQ(j["hints"]["received"], 3);
  EXPECT_EQ(j["hints"]["by_reason"]["uplink"], 2);
  EXPECT_EQ(j["hints"]["last"]["max_width"], 960);
  EXPECT_EQ(j["hints"]["last"]["timestamp"], 1764711965123);
  // Hints a run did not ask for are shown as such.
  r.stream_hints = false;
  EXPECT_NE(report_table(r, false).find("not followed (no --stream-hints)"),
            std::string::npos);
}
