// AI credits of one channel (actors/credit_gate.hpp): slots, the waiters'
// order, cancels, capacity changes; then seeded random event orders checked
// against a model (slots conserved, never above capacity, oldest waiter
// served first, nobody served twice).

#include "actors/credit_gate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <set>

using tryon::actors::credit_gate;

namespace {
using gate = credit_gate<int>;
using ints = std::vector<int>;
} // namespace

TEST(CreditGateTest, WithoutACapacityEveryAcquireSucceeds) {
  gate g;
  for (int i = 0; i < 100; ++i)
    EXPECT_TRUE(g.acquire(i));
  EXPECT_EQ(g.snapshot().in_use, 100u);
  EXPECT_EQ(g.snapshot().waiting, 0u);
  EXPECT_FALSE(g.release());
}

TEST(CreditGateTest, PastTheCapacitySessionsWaitAndAreServedOldestFirst) {
  gate g;
  EXPECT_TRUE(g.set_capacity(2).empty());
  EXPECT_TRUE(g.acquire(1));
  EXPECT_TRUE(g.acquire(2));
  EXPECT_FALSE(g.acquire(3));
  EXPECT_FALSE(g.acquire(4));
  EXPECT_EQ(g.snapshot().waiting, 2u);
  EXPECT_EQ(g.release(), 3); // 1's frame answered: 3 waited longest
  // 1 has a new frame: it queues behind 4, it does not jump the line.
  EXPECT_FALSE(g.acquire(1));
  EXPECT_EQ(g.release(), 4);
  EXPECT_EQ(g.release(), 1);
  EXPECT_FALSE(g.release()); // nobody waits: the slot is free
  EXPECT_EQ(g.snapshot().in_use, 1u);
  EXPECT_TRUE(g.acquire(2));
  EXPECT_EQ(g.snapshot().waits, 3u);
}

TEST(CreditGateTest, CancelOfAWaiterLeavesTheSlotsAlone) {
  gate g;
  g.set_capacity(1);
  EXPECT_TRUE(g.acquire(1));
  EXPECT_FALSE(g.acquire(2));
  EXPECT_FALSE(g.acquire(3));
  EXPECT_FALSE(g.cancel(2)); // 2 ended while waiting
  EXPECT_EQ(g.snapshot().in_use, 1u);
  EXPECT_EQ(g.release(), 3);
}

TEST(CreditGateTest, CancelAfterTheSlotWasHandedOverGivesItToTheNext) {
  gate g;
  g.set_capacity(1);
  EXPECT_TRUE(g.acquire(1));
  EXPECT_FALSE(g.acquire(2));
  EXPECT_FALSE(g.acquire(3));
  EXPECT_EQ(g.release(), 2); // 2's wake-up is on its way...
  EXPECT_EQ(g.cancel(2), 3); // ...but 2 ended first: the slot is not lost
  EXPECT_EQ(g.snapshot().in_use, 1u);
  EXPECT_FALSE(g.cancel(3)); // 3 held it: gives it back, nobody waits
  EXPECT_EQ(g.snapshot().in_use, 0u);
}

TEST(CreditGateTest, ALargerCapacityWakesWaitersAndNoneLiftsTheLimit) {
  gate g;
  g.set_capacity(1);
  EXPECT_TRUE(g.acquire(1));
  for (int i = 2; i <= 5; ++i)
    EXPECT_FALSE(g.acquire(i));
  EXPECT_EQ(g.set_capacity(3), (ints{2, 3}));
  EXPECT_EQ(g.snapshot().in_use, 3u);
  // A smaller one: slots held stay held, none is handed out until below.
  EXPECT_TRUE(g.set_capacity(2).empty());
  EXPECT_FALSE(g.release());
  EXPECT_EQ(g.release(), 4);
  EXPECT_EQ(g.set_capacity(0), (ints{5}));
  EXPECT_TRUE(g.acquire(6));
}

// -- random orders ------------------------------------------------------------

namespace {

// Sessions 0..n-1 each hold a slot, wait for one, or do neither; the test
// plays them at random and checks the gate against what it handed out.
void run_random(std::uint32_t seed, int sessions, int steps) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto roll = [&](int n) {
    return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng));
  };
  enum class st { idle, waiting, woken, holding };
  std::vector<st> state(static_cast<std::size_t>(sessions), st::idle);
  std::deque<int> queue; // the model's waiters, oldest first
  std::size_t capacity = 1 + static_cast<std::size_t>(roll(3));
  gate g;
  g.set_capacity(capacity);

  auto held = [&] {
    return static_cast<std::size_t>(
        std::count_if(state.begin(), state.end(),
                      [](st s) { return s == st::woken || s == st::holding; }));
  };
  auto woken = [&](std::optional<int> w) {
    if (!w)
      return;
    ASSERT_FALSE(queue.empty()) << "woke " << *w << " nobody waited";
    ASSERT_EQ(*w, queue.front()) << "not the oldest waiter";
    ASSERT_EQ(state[*w], st::waiting);
    queue.pop_front();
    state[*w] = st::woken;
  };

  for (int step = 0; step < steps; ++step) {
    int s = roll(sessions);
    switch (roll(5)) {
    case 0: // a frame to send
      if (state[s] == st::idle) {
        bool now = g.acquire(s);
        bool room = queue.empty() && held() < capacity;
        ASSERT_EQ(now, room);
        state[s] = now ? st::holding : st::waiting;
        if (!now)
          queue.push_back(s);
      }
      break;
    case 1: // its wake-up arrives
      if (state[s] == st::woken)
        state[s] = st::holding;
      break;
    case 2: // its frame is answered
      if (state[s] == st::holding) {
        state[s] = st::idle;
        woken(g.release());
      }
      break;
    case 3: // it ends or moves away
      if (state[s] == st::waiting || state[s] == st::woken) {
        bool was_queued = state[s] == st::waiting;
        if (was_queued)
          queue.erase(std::find(queue.begin(), queue.end(), s));
        state[s] = st::idle;
        auto w = g.cancel(s);
        if (was_queued) {
          ASSERT_FALSE(w);
        } else {
          woken(w);
        }
      }
      break;
    case 4: // the AI service says how much it takes now
      if (roll(8) == 0) {
        capacity = 1 + static_cast<std::size_t>(roll(4));
        for (int w : g.set_capacity(capacity))
          woken(w);
      }
      break;
    }
    if (::testing::Test::HasFatalFailure())
      return;
    auto f = g.snapshot();
    ASSERT_EQ(f.in_use, held());
    ASSERT_EQ(f.waiting, queue.size());
    // Waiting only while there is no room (or older waiters).
    if (!queue.empty()) {
      ASSERT_GE(f.in_use, capacity);
    }
  }
}

} // namespace

TEST(CreditGateRandomTest, SlotsAreConservedAndGoRoundInTurn) {
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    run_random(seed, 1 + static_cast<int>(seed % 12), 400);
    if (HasFatalFailure())
      return;
  }
}
