#include "bench/harness/pacer.hpp"

#include <gtest/gtest.h>

using namespace std::chrono;
using tryon::bench::pacer;

TEST(Pacer, NoJitterIsAGridFromThePhase) {
  pacer p{25, 0.0, 7};
  EXPECT_EQ(p.period(), milliseconds(40));
  auto first = p.next();
  EXPECT_LT(first, milliseconds(40));
  for (int k = 1; k < 100; ++k)
    EXPECT_EQ(p.next(), first + milliseconds(40) * k);
  EXPECT_EQ(p.scheduled(), 100u);
}

TEST(Pacer, JitterStaysInBoundsAndNeverGoesBack) {
  pacer p{25, 0.2, 3};
  pacer grid{25, 0.0, 3}; // same seed: same phase
  nanoseconds last{0};
  bool moved = false;
  for (int k = 0; k < 2000; ++k) {
    auto t = p.next();
    auto nominal = grid.next();
    EXPECT_GE(t, last);
    EXPECT_LE(abs(t - nominal), milliseconds(8) + nanoseconds(1));
    moved = moved || t != nominal;
    last = t;
  }
  EXPECT_TRUE(moved);
}

TEST(Pacer, MeanRateIsExact) {
  pacer p{30, 0.5, 11};
  nanoseconds t{0};
  for (int k = 0; k < 30000; ++k)
    t = p.next();
  // 30000 frames at 30 fps: the last is due at ~1000 s, whatever the jitter.
  EXPECT_NEAR(duration<double>(t).count(), 1000.0, 0.1);
}

TEST(Pacer, SeedsGiveDifferentPhases) {
  pacer a{10, 0.0, 1};
  pacer b{10, 0.0, 2};
  EXPECT_NE(a.next(), b.next());
}

TEST(Pacer, SetFpsRestartsTheGridOneNewPeriodAfterTheLastFrame) {
  pacer p{25, 0.0, 5};
  nanoseconds last{0};
  for (int k = 0; k < 10; ++k)
    last = p.next();
  p.set_fps(10); // a hint: 100 ms from now on
  EXPECT_EQ(p.period(), milliseconds(100));
  EXPECT_DOUBLE_EQ(p.fps(), 10.0);
  for (int k = 1; k <= 20; ++k)
    EXPECT_EQ(p.next(), last + milliseconds(100) * k);
  EXPECT_EQ(p.scheduled(), 30u);
  p.set_fps(10); // the same rate: nothing moves
  EXPECT_EQ(p.next(), last + milliseconds(100) * 21);
}

TEST(Pacer, SetFpsBeforeTheFirstFrameKeepsThePhase) {
  pacer a{25, 0.0, 9};
  pacer b{25, 0.0, 9};
  b.set_fps(5);
  const auto first = a.next();
  EXPECT_EQ(b.next(), first);
  EXPECT_EQ(b.next(), first + milliseconds(200));
}

TEST(Pacer, JitteredRateAfterAChangeIsExactAndNeverGoesBack) {
  pacer p{25, 0.5, 13};
  nanoseconds last{0};
  for (int k = 0; k < 100; ++k)
    last = p.next();
  p.set_fps(12);
  nanoseconds t{0};
  for (int k = 0; k < 12000; ++k) {
    t = p.next();
    EXPECT_GE(t, last);
    last = t;
  }
  // 12000 frames at 12 fps after the change: ~1000 s later.
  EXPECT_NEAR(duration<double>(t).count(), 4.0 + 1000.0, 0.2);
}
