#include "bench/harness/bench_options.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace tryon::bench;

namespace {

options_outcome parse(std::vector<std::string> args) {
  args.insert(args.begin(), "tryon-bench");
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  return parse_bench_options(static_cast<int>(argv.size()), argv.data());
}

} // namespace

TEST(BenchOptions, DefaultsAndAutomaticValues) {
  auto r = parse({"stream", "--token", "t", "--sessions", "400"});
  ASSERT_TRUE(r.options) << r.message;
  const auto& o = *r.options;
  EXPECT_EQ(o.mode, bench_mode::stream);
  EXPECT_EQ(o.sessions, 400);
  EXPECT_DOUBLE_EQ(o.fps, 25);
  EXPECT_DOUBLE_EQ(o.ramp_s, 2); // sessions / 200
  EXPECT_EQ(o.frame_kb, 60);
  EXPECT_EQ(o.stats_token, "t");
  EXPECT_EQ(o.read_delay_ms, 0); // only slow-reader reads slowly
}

TEST(BenchOptions, ModesAndTheirDefaults) {
  auto slow = parse({"slow-reader", "--token", "t"});
  ASSERT_TRUE(slow.options);
  EXPECT_EQ(slow.options->mode, bench_mode::slow_reader);
  EXPECT_EQ(slow.options->rcvbuf, 16384);
  EXPECT_EQ(slow.options->read_delay_ms, 250);
  auto idle = parse({"idle", "--token", "t", "--resolution", "480p"});
  ASSERT_TRUE(idle.options);
  EXPECT_DOUBLE_EQ(idle.options->warmup_s, 0);
  EXPECT_EQ(idle.options->frame_kb, 35);
  EXPECT_FALSE(idle.options->idle_init);
  auto storm = parse({"idle", "--token", "t", "--init", "--ramp", "2"});
  ASSERT_TRUE(storm.options) << storm.message;
  EXPECT_TRUE(storm.options->idle_init);
  EXPECT_DOUBLE_EQ(storm.options->ramp_s, 2);
  auto init_stream = parse({"stream", "--token", "t", "--init"});
  EXPECT_FALSE(init_stream.options);
  EXPECT_EQ(init_stream.exit_code, 2);
  auto direct = parse({"direct"}); // no token needed
  ASSERT_TRUE(direct.options) << direct.message;
  EXPECT_EQ(direct.options->mode, bench_mode::direct);
}

TEST(BenchOptions, RefusesNonLoopbackTargets) {
  auto r = parse({"stream", "--token", "t", "--url", "http://10.1.2.3:8000"});
  EXPECT_FALSE(r.options);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.message.find("non-loopback"), std::string::npos);
  auto a = parse({"direct", "--ai-url", "ws://example.com:8002/ws/tryon"});
  EXPECT_FALSE(a.options);
  auto tls = parse({"stream", "--token", "t", "--url", "https://127.0.0.1"});
  EXPECT_FALSE(tls.options);
}

TEST(BenchOptions, BoundsAreEnforced) {
  EXPECT_FALSE(
      parse({"stream", "--token", "t", "--sessions", "20001"}).options);
  EXPECT_FALSE(parse({"stream", "--token", "t", "--sessions", "0"}).options);
  EXPECT_FALSE(parse({"stream", "--token", "t", "--fps", "121"}).options);
  EXPECT_FALSE(parse({"stream", "--token", "t", "--duration", "3601"}).options);
  EXPECT_FALSE(parse({"stream", "--token", "t", "--jitter", "0.6"}).options);
  EXPECT_FALSE(parse({"stream", "--token", "t", "--threads", "9"}).options);
  EXPECT_FALSE(parse({"flood", "--token", "t"}).options);
}

TEST(BenchOptions, TokenRequiredExceptDirect) {
  auto r = parse({"stream"});
  EXPECT_FALSE(r.options);
  EXPECT_NE(r.message.find("--token"), std::string::npos);
}

TEST(BenchOptions, HelpExitsZero) {
  auto r = parse({"--help"});
  EXPECT_FALSE(r.options);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.message.find("--sessions"), std::string::npos);
}

TEST(BenchOptions, Names) {
  EXPECT_EQ(to_string(bench_mode::slow_reader), "slow-reader");
  EXPECT_EQ(to_string(frame_resolution::mixed), "mixed");
}

TEST(BenchOptions, StreamHintsInStreamModeOnly) {
  auto off = parse({"stream", "--token", "t"});
  ASSERT_TRUE(off.options);
  EXPECT_FALSE(off.options->stream_hints);
  auto on = parse({"stream", "--token", "t", "--stream-hints"});
  ASSERT_TRUE(on.options) << on.message;
  EXPECT_TRUE(on.options->stream_hints);
  for (const char* mode : {"slow-reader", "idle", "direct", "takeover"}) {
    auto r = parse({mode, "--token", "t", "--stream-hints"});
    EXPECT_FALSE(r.options) << mode;
    EXPECT_EQ(r.exit_code, 2);
  }
}

TEST(BenchOptions, AllowHostMustBeAPointToPointPeer) {
  // A public address is never one; nor is loopback needed for loopback.
  auto pub = parse({"stream", "--token", "t", "--url", "http://8.8.8.8:8000",
                    "--allow-host", "8.8.8.8"});
  EXPECT_FALSE(pub.options);
  EXPECT_NE(pub.message.find("--allow-host"), std::string::npos);
  // Naming one host does not open the others.
  auto other = parse({"stream", "--token", "t", "--url", "http://10.1.2.3:8000",
                      "--allow-host", "8.8.8.8"});
  EXPECT_FALSE(other.options);
}
