// Stream hints (actors/stream_hinter.hpp): a phone whose uplink queues is
// moved down the ladder and back up once calm; a phone that sends more than
// its share of the AI is asked for what it gets plus headroom; hysteresis
// (one change per interval, only changes sent); no timestamps, no uplink
// judgement.

#include "actors/stream_hinter.hpp"

#include <gtest/gtest.h>

using tryon::actors::hinter_config;
using tryon::actors::stream_hinter;
using tryon::protocol::stream_suggestion;

namespace {

/// Plays a phone at `fps` for `seconds`, whose frames arrive `delay(t)` ms
/// after capture, `processed_share` of them processed (the rest dropped);
/// ticks after every frame like the session does. Returns every hint.
struct phone_sim {
  explicit phone_sim(hinter_config cfg = {}) : hinter(std::move(cfg)) {}
  stream_hinter hinter;
  std::int64_t now = 1'000'000;
  std::uint64_t accepted = 0, delivered = 0, dropped = 0;
  double carry = 0;
  std::vector<stream_hinter::hint> hints;

  template <class Delay>
  void play(double seconds, int fps, Delay delay, double processed_share = 1.0,
            bool timestamps = true) {
    auto frames = static_cast<int>(seconds * fps);
    for (int i = 0; i < frames; ++i) {
      now += 1000 / fps;
      auto captured = now - delay(now);
      hinter.on_frame(now, timestamps ? std::optional<std::int64_t>{captured}
                                      : std::nullopt);
      ++accepted;
      carry += processed_share;
      if (carry >= 1.0) {
        carry -= 1.0;
        ++delivered;
      } else {
        ++dropped;
      }
      if (auto h = hinter.tick(now, accepted, delivered, dropped))
        hints.push_back(*h);
    }
  }
};

// A constant one-way delay (the clocks' offset included): no queue.
auto steady(std::int64_t offset) {
  return [offset](std::int64_t) { return offset; };
}

} // namespace

TEST(StreamHinterTest, ACalmPhoneGetsNoHint) {
  phone_sim p;
  p.play(30, 25, steady(-123456)); // any clock offset
  EXPECT_TRUE(p.hints.empty());
  EXPECT_FALSE(p.hinter.in_force());
  EXPECT_EQ(p.hinter.current().fps, 25);
}

TEST(StreamHinterTest, AQueueingUplinkStepsDownOncePerIntervalThenBackUp) {
  phone_sim p;
  p.play(3, 25, steady(40));
  ASSERT_TRUE(p.hints.empty());
  // The uplink queues: the delay grows 300 ms a second.
  auto start = p.now;
  p.play(4, 25, [&](std::int64_t t) { return 40 + (t - start) * 3 / 10; });
  ASSERT_GE(p.hints.size(), 1u);
  EXPECT_LE(p.hints.size(), 2u); // one change per 2 s at most
  EXPECT_EQ(p.hints[0].reason, "uplink");
  EXPECT_EQ(p.hints[0].suggestion, (stream_suggestion{20, 70, 1280}));
  EXPECT_LT(p.hinter.current().fps, 25);
  // Calm again: after 5 s without a queue, one step back up per interval.
  p.hints.clear();
  p.play(30, 25, steady(40));
  ASSERT_FALSE(p.hints.empty());
  EXPECT_EQ(p.hints.back().reason, "clear");
  EXPECT_EQ(p.hinter.current(), (stream_suggestion{25, 80, 1280}));
  // Back up one step at a time (the window that straddles the end of the
  // queue may still have taken one step down first).
  for (std::size_t i = 2; i < p.hints.size(); ++i)
    EXPECT_GT(p.hints[i].suggestion.fps, p.hints[i - 1].suggestion.fps);
}

TEST(StreamHinterTest, ADrainingQueueIsNotPunishedTwice) {
  phone_sim p;
  p.play(2, 25, steady(40));
  auto start = p.now;
  // One burst of queueing that drains fast after the first step.
  p.play(2.2, 25, [&](std::int64_t t) { return 40 + (t - start) / 2; });
  ASSERT_EQ(p.hints.size(), 1u);
  auto peak = p.now;
  p.play(3, 25, [&](std::int64_t t) {
    return std::max<std::int64_t>(40, 40 + 1100 - (t - peak) * 2);
  });
  EXPECT_EQ(p.hints.size(), 1u) << "stepped down while the queue drained";
}

TEST(StreamHinterTest, WithoutTimestampsTheUplinkIsNotJudged) {
  phone_sim p;
  auto start = p.now;
  p.play(
      20, 25, [&](std::int64_t t) { return (t - start) / 2; }, 1.0, false);
  EXPECT_TRUE(p.hints.empty());
}

TEST(StreamHinterTest, APhoneSendingMoreThanItsAiShareIsAskedForItsShare) {
  phone_sim p;
  // 25 fps sent, 10 processed: 60 % dropped as stale.
  p.play(4, 25, steady(30), 0.4);
  ASSERT_EQ(p.hints.size(), 1u);
  EXPECT_EQ(p.hints[0].reason, "ai");
  EXPECT_EQ(p.hints[0].suggestion.fps, 12); // 10 x 1.2
  // Quality and width are the uplink's business: untouched.
  EXPECT_EQ(p.hints[0].suggestion.jpeg_quality, 80);
  EXPECT_EQ(p.hints[0].suggestion.max_width, 1280);
  // What a re-initialising client is told again.
  ASSERT_TRUE(p.hinter.in_force());
  EXPECT_EQ(p.hinter.in_force()->suggestion.fps, 12);
  EXPECT_EQ(p.hinter.in_force()->reason, "ai");
  // The phone follows: 12 sent, 10 processed (17 % dropped): it stays.
  p.hints.clear();
  p.play(20, 12, steady(30), 10.0 / 12.0);
  EXPECT_TRUE(p.hints.empty());
  // A larger share (everything processed): probed up after 5 s calm.
  p.play(12, 12, steady(30), 1.0);
  ASSERT_FALSE(p.hints.empty());
  EXPECT_GT(p.hints.back().suggestion.fps, 12);
}

TEST(StreamHinterTest, TheLowerOfAiAndUplinkWins) {
  phone_sim p;
  auto start = p.now;
  p.play(
      3, 25, [&](std::int64_t t) { return 40 + (t - start) * 3 / 10; }, 0.2);
  ASSERT_FALSE(p.hints.empty());
  // 5 processed of 25: the AI's 6 fps is below the uplink step's 20.
  EXPECT_EQ(p.hints.back().suggestion.fps, 6);
  EXPECT_EQ(p.hints.back().reason, "ai");
}

TEST(StreamHinterTest, TheBottomOfTheLadderHolds) {
  hinter_config cfg;
  cfg.min_interval_ms = 0;
  phone_sim p{cfg};
  auto start = p.now;
  p.play(60, 25, [&](std::int64_t t) { return 40 + (t - start); });
  EXPECT_EQ(p.hinter.current(), cfg.ladder.back());
  EXPECT_EQ(p.hints.size(), cfg.ladder.size() - 1);
}
