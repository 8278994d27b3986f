// The transport's bound on a session actor's mailbox (actors/ports.hpp):
// at most max_pending frames in the mailbox, and the newest one beyond
// that kept aside, so a burst never loses its newest frame.

#include <gtest/gtest.h>

#include "actors/ports.hpp"

using tryon::actors::inbound_counters;

namespace {

std::string frame(int n) {
  return "frame-" + std::to_string(n);
}

} // namespace

TEST(InboundCounters, HandsOverUpToTheBound) {
  inbound_counters c;
  for (int i = 0; i < inbound_counters::max_pending; ++i) {
    auto f = frame(i);
    EXPECT_TRUE(c.offer(f)) << i;
  }
  auto f = frame(99);
  EXPECT_FALSE(c.offer(f)); // kept aside, not shed
  EXPECT_EQ(c.shed.load(), 0u);
}

TEST(InboundCounters, NewestOfABurstComesAfterTheMailbox) {
  inbound_counters c;
  const int n = inbound_counters::max_pending;
  for (int i = 0; i < n + 3; ++i) {
    auto f = frame(i);
    c.offer(f);
  }
  // Two overflow frames were replaced by newer ones: shed.
  EXPECT_EQ(c.shed.load(), 2u);
  for (int i = 0; i < n - 1; ++i)
    EXPECT_EQ(c.taken(), std::nullopt) << "the mailbox is not empty yet";
  auto newest = c.taken(); // the last mailbox frame was taken
  ASSERT_TRUE(newest);
  EXPECT_EQ(*newest, frame(n + 2));
  // Everything is taken: the next frame goes straight to the mailbox.
  auto f = frame(100);
  EXPECT_TRUE(c.offer(f));
  EXPECT_EQ(c.taken(), std::nullopt);
}

TEST(InboundCounters, FramesStayInOrderWhileOneIsKeptAside) {
  inbound_counters c;
  const int n = inbound_counters::max_pending;
  for (int i = 0; i < n + 1; ++i) { // frame n is kept aside
    auto f = frame(i);
    c.offer(f);
  }
  EXPECT_EQ(c.taken(), std::nullopt); // the mailbox has room again...
  auto f = frame(n + 1);
  EXPECT_FALSE(c.offer(f)); // ...but a newer frame must not overtake it
  EXPECT_EQ(c.shed.load(), 1u);
  for (int i = 0; i < n - 2; ++i)
    EXPECT_EQ(c.taken(), std::nullopt);
  EXPECT_EQ(c.taken(), frame(n + 1)); // after every older mailbox frame
}

TEST(InboundCounters, TakenWithoutPendingDoesNotUnderflow) {
  inbound_counters c;
  EXPECT_EQ(c.taken(), std::nullopt);
  for (int i = 0; i < inbound_counters::max_pending; ++i) {
    auto f = frame(i);
    EXPECT_TRUE(c.offer(f));
  }
}
