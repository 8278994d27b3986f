#include "ai_service/hand_detector.hpp"

#include "ai_service/hand_contour.hpp"
#include "ai_service/pipeline.hpp"
#include "test_images.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace tryon::ai;

TEST(SkinMask, ClassifiesSkinAndBackground) {
  rgb_image img(2, 1);
  img.at(0, 0)[0] = test::skin.r;
  img.at(0, 0)[1] = test::skin.g;
  img.at(0, 0)[2] = test::skin.b;
  img.at(1, 0)[0] = test::background.r;
  img.at(1, 0)[1] = test::background.g;
  img.at(1, 0)[2] = test::background.b;
  const binary_mask m = skin_mask(img);
  EXPECT_TRUE(m.fg(0, 0));
  EXPECT_FALSE(m.fg(1, 0));
}

TEST(SkinMask, KeepsOnlyTheLargestComponent) {
  binary_mask m(10, 4);
  for (int x = 0; x < 3; ++x)
    m.bits[x] = 1; // 3 pixels, row 0
  for (int x = 5; x < 10; ++x)
    m.bits[20 + x] = 1; // 5 pixels, row 2
  EXPECT_EQ(keep_largest_component(m), 5u);
  EXPECT_FALSE(m.fg(0, 0));
  EXPECT_TRUE(m.fg(7, 2));
}

TEST(HandContour, TracesTheOutlineOfARectangle) {
  binary_mask m(8, 6);
  for (int y = 1; y <= 4; ++y)
    for (int x = 2; x <= 6; ++x)
      m.bits[y * 8 + x] = 1;
  const auto c = trace_outer_contour(m);
  // A 5 x 4 block has 2 * (5 + 4) - 4 = 14 boundary pixels.
  ASSERT_EQ(c.size(), 14u);
  EXPECT_EQ(c.front().x, 2);
  EXPECT_EQ(c.front().y, 1);
  EXPECT_EQ(c[1].x, 3); // clockwise on screen: along the top first
  for (const auto& p : c)
    EXPECT_TRUE(p.x == 2 || p.x == 6 || p.y == 1 || p.y == 4);
}

TEST(HandContour, InscribedCircleSitsInTheMiddle) {
  binary_mask m(21, 21);
  for (int y = 2; y <= 18; ++y)
    for (int x = 2; x <= 18; ++x)
      m.bits[y * 21 + x] = 1;
  const auto c = largest_inscribed_circle(m);
  EXPECT_NEAR(c.centre.x, 10, 1);
  EXPECT_NEAR(c.centre.y, 10, 1);
  EXPECT_NEAR(c.radius, 9, 1.5);
}

TEST(HandDetector, FindsTheFiveFingertipsOfASyntheticHand) {
  std::vector<test::drawn_tip> drawn;
  const rgb_image img = test::draw_hand(1280, 720, &drawn);
  const hand_detection hand = detect_hand(img);
  ASSERT_TRUE(hand.found);
  EXPECT_GT(hand.skin_fraction, 0.05);
  EXPECT_GT(hand.confidence, 0.5);
  ASSERT_EQ(hand.nails.size(), 5u);
  for (const auto& t : drawn) {
    double best = 1e9;
    for (const auto& n : hand.nails)
      best = std::min(best, std::hypot(n.tip_x - t.x, n.tip_y - t.y));
    EXPECT_LT(best, 20.0) << "no fingertip found near " << t.x << "," << t.y;
  }
  for (const auto& n : hand.nails) {
    // Nails are finger-sized and point away from the wrist (upwards here).
    EXPECT_GT(n.half_width, 12);
    EXPECT_LT(n.half_width, 40);
    EXPECT_LT(n.uy, 0.0);
  }
}

TEST(HandDetector, WorksAtOtherResolutions) {
  for (auto [w, h] : {std::pair{640, 360}, std::pair{1920, 1080}}) {
    const hand_detection hand = detect_hand(test::draw_hand(w, h));
    EXPECT_EQ(hand.nails.size(), 5u) << w << "x" << h;
    EXPECT_GT(hand.confidence, 0.5) << w << "x" << h;
  }
}

TEST(HandDetector, ReportsNothingWithoutSkin) {
  const hand_detection hand = detect_hand(test::draw_no_hand(1280, 720));
  EXPECT_FALSE(hand.found);
  EXPECT_TRUE(hand.nails.empty());
  EXPECT_EQ(hand.confidence, 0.0);
}

TEST(HandDetector, AFingerlessBlobHasNoTipsAndLowConfidence) {
  const hand_detection hand = detect_hand(test::draw_skin_disc(1280, 720));
  EXPECT_TRUE(hand.found);
  EXPECT_TRUE(hand.nails.empty());
  EXPECT_LT(hand.confidence, 0.2);
}

TEST(HandDetector, ConfidenceGrowsWithFingertips) {
  EXPECT_EQ(hand_confidence(0.0, 5), 0.0);
  EXPECT_EQ(hand_confidence(0.95, 5), 0.0);
  EXPECT_LT(hand_confidence(0.2, 1), hand_confidence(0.2, 3));
  EXPECT_LT(hand_confidence(0.2, 3), hand_confidence(0.2, 5));
  EXPECT_DOUBLE_EQ(hand_confidence(0.2, 5), 1.0);
}
