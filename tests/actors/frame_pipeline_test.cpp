// The stale-frame policy (actors/frame_pipeline.hpp, PROTOCOL.md
// "Backpressure"): each rule step by step, then seeded random event orders
// checked against a per-frame model.
#include "actors/frame_pipeline.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

using tryon::actors::frame_pipeline;

namespace {

// A frame and a result that name the frame they stand for.
struct test_frame {
  int id = 0;
};
struct test_result {
  int id = 0;
};
using pipeline = frame_pipeline<test_frame, test_result>;

// Returns the result a take_delivery() hands out, failing when none.
test_result must_deliver(pipeline& p, std::int64_t& dropped) {
  auto r = p.take_delivery(dropped);
  EXPECT_TRUE(r.has_value());
  return r.value_or(test_result{-1});
}

} // namespace

TEST(FramePipelineTest, StartsIdleAndEmpty) {
  pipeline p;
  EXPECT_TRUE(p.idle());
  EXPECT_FALSE(p.in_flight());
  EXPECT_FALSE(p.result_waiting());
  std::int64_t dropped = -1;
  EXPECT_FALSE(p.take_delivery(dropped));
  EXPECT_EQ(dropped, -1); // untouched when nothing is delivered
  EXPECT_EQ(p.accepted(), 0u);
  EXPECT_EQ(p.delivered(), 0u);
  EXPECT_EQ(p.dropped(), 0u);
}

TEST(FramePipelineTest, FirstFrameGoesStraightToTheAi) {
  pipeline p;
  auto d = p.on_frame(7, test_frame{1});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->sequence, 7);
  EXPECT_EQ(d->frame.id, 1);
  EXPECT_EQ(p.in_flight(), 7);
  EXPECT_EQ(p.accepted(), 1u);
  EXPECT_FALSE(p.idle());
}

TEST(FramePipelineTest, FrameWaitsWhileOneIsInFlight) {
  pipeline p;
  ASSERT_TRUE(p.on_frame(1, test_frame{1}));
  EXPECT_FALSE(p.on_frame(2, test_frame{2}));
  EXPECT_EQ(p.in_flight(), 1);
  EXPECT_EQ(p.accepted(), 2u);
  EXPECT_EQ(p.dropped(), 0u);
  // The result for 1 frees the AI slot: the waiting frame goes next.
  auto next = p.on_result(1, test_result{1});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->sequence, 2);
  EXPECT_EQ(next->frame.id, 2);
  EXPECT_EQ(p.in_flight(), 2);
}

TEST(FramePipelineTest, NewerFrameReplacesTheWaitingOne) {
  pipeline p;
  ASSERT_TRUE(p.on_frame(1, test_frame{1}));
  EXPECT_FALSE(p.on_frame(2, test_frame{2}));
  EXPECT_FALSE(p.on_frame(3, test_frame{3}));
  EXPECT_FALSE(p.on_frame(4, test_frame{4}));
  EXPECT_EQ(p.accepted(), 4u);
  EXPECT_EQ(p.dropped(), 2u); // 2 and 3
  auto next = p.on_result(1, test_result{1});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->sequence, 4);
  EXPECT_EQ(next->frame.id, 4);
  // Nothing else waits.
  EXPECT_FALSE(p.on_result(4, test_result{4}));
}

TEST(FramePipelineTest, ResultIsDeliveredWithTheDropsSinceThePrevious) {
  pipeline p;
  ASSERT_TRUE(p.on_frame(1, test_frame{1}));
  p.on_frame(2, test_frame{2});
  p.on_frame(3, test_frame{3}); // drops 2
  EXPECT_TRUE(p.on_result(1, test_result{1}));
  EXPECT_TRUE(p.result_waiting());
  std::int64_t dropped = -1;
  EXPECT_EQ(must_deliver(p, dropped).id, 1);
  EXPECT_EQ(dropped, 1);
  EXPECT_FALSE(p.result_waiting());
  EXPECT_EQ(p.delivered(), 1u);
  p.on_written();
  EXPECT_FALSE(p.on_result(3, test_result{3}));
  EXPECT_EQ(must_deliver(p, dropped).id, 3);
  EXPECT_EQ(dropped, 0); // reset by the previous delivery
  p.on_written();
  EXPECT_TRUE(p.idle());
  EXPECT_EQ(p.accepted(), p.delivered() + p.dropped());
}

TEST(FramePipelineTest, NothingIsDeliveredWhileTheClientIsWriting) {
  pipeline p;
  ASSERT_TRUE(p.on_frame(1, test_frame{1}));
  p.on_result(1, test_result{1});
  std::int64_t dropped = 0;
  must_deliver(p, dropped);
  ASSERT_TRUE(p.on_frame(2, test_frame{2}));
  p.on_result(2, test_result{2});
  EXPECT_TRUE(p.result_waiting());
  EXPECT_FALSE(p.take_delivery(dropped)); // the writer is busy
  EXPECT_FALSE(p.idle());
  p.on_written();
  EXPECT_EQ(must_deliver(p, dropped).id, 2);
  p.on_written();
  EXPECT_TRUE(p.idle());
}

TEST(FramePipelineTest, NewerResultReplacesTheOneWaitingForTheClient) {
  pipeline p;
  ASSERT_TRUE(p.on_frame(1, test_frame{1}));
  p.on_result(1, test_result{1});
  std::int64_t dropped = 0;
  must_deliver(p, dropped); // the client is now writing 1
  ASSERT_TRUE(p.on_frame(2, test_frame{2}));
  p.on_result(2, test_result{2});
  ASSERT_TRUE(p.on_frame(3, test_frame{3}));
  p.on_result(3, test_result{3}); // replaces 2
  EXPECT_EQ(p.dropped(), 1u);
  p.on_written();
  EXPECT_EQ(must_deliver(p, dropped).id, 3);
  EXPECT_EQ(dropped, 1);
  p.on_written();
  EXPECT_TRUE(p.idle());
  EXPECT_EQ(p.accepted(), 3u);
  EXPECT_EQ(p.delivered(), 2u);
}

TEST(FramePipelineTest, ResultNotAboveTheLastDeliveredIsDropped) {
  pipeline p;
  // The client's sequences go backwards (a reconnecting client restarting
  // its counter): the older-numbered result must not follow a newer one.
  ASSERT_TRUE(p.on_frame(10, test_frame{1}));
  p.on_result(10, test_result{1});
  std::int64_t dropped = 0;
  must_deliver(p, dropped);
  p.on_written();
  ASSERT_TRUE(p.on_frame(5, test_frame{2}));
  p.on_result(5, test_result{2});
  EXPECT_FALSE(p.result_waiting());
  EXPECT_EQ(p.dropped(), 1u);
  ASSERT_TRUE(p.on_frame(10, test_frame{3})); // equal is stale too
  p.on_result(10, test_result{3});
  EXPECT_FALSE(p.result_waiting());
  EXPECT_EQ(p.dropped(), 2u);
  ASSERT_TRUE(p.on_frame(11, test_frame{4}));
  p.on_result(11, test_result{4});
  EXPECT_EQ(must_deliver(p, dropped).id, 4);
  EXPECT_EQ(dropped, 2);
  p.on_written();
  EXPECT_TRUE(p.idle());
  EXPECT_EQ(p.accepted(), p.delivered() + p.dropped());
}

TEST(FramePipelineTest, ResultNotAboveTheOneWaitingForTheClientIsDropped) {
  pipeline p;
  ASSERT_TRUE(p.on_frame(1, test_frame{1}));
  p.on_result(1, test_result{1});
  std::int64_t dropped = 0;
  must_deliver(p, dropped); // writing 1
  ASSERT_TRUE(p.on_frame(9, test_frame{2}));
  p.on_result(9, test_result{2}); // waits for the client
  ASSERT_TRUE(p.on_frame(4, test_frame{3}));
  p.on_result(4, test_result{3}); // older than the waiting 9: dropped
  EXPECT_EQ(p.dropped(), 1u);
  p.on_written();
  EXPECT_EQ(must_deliver(p, dropped).id, 2);
  EXPECT_EQ(dropped, 1);
}

TEST(FramePipelineTest, ResultForAnotherSequenceIsIgnored) {
  pipeline p;
  EXPECT_FALSE(p.on_result(1, test_result{1})); // nothing in flight
  ASSERT_TRUE(p.on_frame(1, test_frame{1}));
  p.on_frame(2, test_frame{2});
  EXPECT_FALSE(p.on_result(2, test_result{2})); // 2 is waiting, not in flight
  EXPECT_EQ(p.in_flight(), 1);
  EXPECT_FALSE(p.result_waiting());
  EXPECT_EQ(p.dropped(), 0u);
  EXPECT_EQ(p.accepted(), 2u);
}

TEST(FramePipelineTest, FailureDropsTheFrameAndSendsTheNext) {
  pipeline p;
  ASSERT_TRUE(p.on_frame(1, test_frame{1}));
  EXPECT_FALSE(p.on_failure(2)); // not in flight: ignored
  EXPECT_EQ(p.dropped(), 0u);
  p.on_frame(2, test_frame{2});
  auto next = p.on_failure(1);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->frame.id, 2);
  EXPECT_EQ(p.dropped(), 1u);
  EXPECT_FALSE(p.on_failure(2)); // nothing waits
  EXPECT_EQ(p.dropped(), 2u);
  EXPECT_FALSE(p.in_flight());
  EXPECT_TRUE(p.idle());
  EXPECT_EQ(p.accepted(), p.dropped());
}

TEST(FramePipelineTest, LateResultAfterATimeoutIsNotCountedTwice) {
  pipeline p;
  ASSERT_TRUE(p.on_frame(1, test_frame{1}));
  EXPECT_FALSE(p.on_failure(1)); // the timeout
  EXPECT_FALSE(p.on_result(1, test_result{1}));
  EXPECT_FALSE(p.result_waiting());
  EXPECT_EQ(p.dropped(), 1u);
  EXPECT_EQ(p.delivered(), 0u);
  EXPECT_TRUE(p.idle());
}

TEST(FramePipelineTest, ShedFramesCountAsAcceptedAndDropped) {
  pipeline p;
  p.on_shed(3);
  EXPECT_EQ(p.accepted(), 3u);
  EXPECT_EQ(p.dropped(), 3u);
  EXPECT_TRUE(p.idle());
  ASSERT_TRUE(p.on_frame(1, test_frame{1}));
  p.on_result(1, test_result{1});
  std::int64_t dropped = 0;
  must_deliver(p, dropped);
  EXPECT_EQ(dropped, 3); // reported with the next processed frame
  p.on_shed(0);
  EXPECT_EQ(p.accepted(), 4u);
}

TEST(FramePipelineTest, WorksWithMoveOnlyFramesAndResults) {
  frame_pipeline<std::unique_ptr<std::string>, std::unique_ptr<std::string>> p;
  auto d = p.on_frame(1, std::make_unique<std::string>("frame 1"));
  ASSERT_TRUE(d);
  EXPECT_EQ(*d->frame, "frame 1");
  EXPECT_FALSE(p.on_frame(2, std::make_unique<std::string>("frame 2")));
  auto next = p.on_result(1, std::make_unique<std::string>("result 1"));
  ASSERT_TRUE(next);
  EXPECT_EQ(*next->frame, "frame 2");
  std::int64_t dropped = 0;
  auto r = p.take_delivery(dropped);
  ASSERT_TRUE(r && *r);
  EXPECT_EQ(**r, "result 1");
}

// -- random orders ------------------------------------------------------------

namespace {

enum class fate { waiting, in_flight, result_waiting, delivered, dropped };

// What the test knows of every frame it gave the pipeline: the pipeline's
// rules, restated per frame, so each frame's single end is checked.
struct model {
  std::vector<fate> fates;             // by frame id
  std::vector<std::int64_t> sequences; // by frame id
  std::optional<int> waiting, in_flight, result_waiting;
  std::optional<std::int64_t> last_delivered;
  bool writing = false;
  bool credit = true; // with credits: the session may send now
  std::uint64_t shed = 0;
  std::uint64_t reported_drops = 0;

  void end(int id, fate f) {
    ASSERT_NE(fates[id], fate::delivered) << "frame " << id << " ended twice";
    ASSERT_NE(fates[id], fate::dropped) << "frame " << id << " ended twice";
    fates[id] = f;
  }
  std::uint64_t count(fate f) const {
    std::uint64_t n = 0;
    for (auto x : fates)
      n += x == f ? 1 : 0;
    return n;
  }
};

void check_dispatch(const std::optional<pipeline::dispatch>& d, model& m,
                    std::optional<int> expected) {
  ASSERT_EQ(d.has_value(), expected.has_value());
  if (!d)
    return;
  ASSERT_EQ(d->frame.id, *expected);
  ASSERT_EQ(d->sequence, m.sequences[*expected]);
  ASSERT_EQ(m.fates[*expected], fate::waiting);
  m.fates[*expected] = fate::in_flight;
  m.in_flight = expected;
}

// Frees the AI slot in the model and sends the waiting frame, if any (and
// the session holds a credit).
std::optional<int> next_in_model(model& m) {
  m.in_flight.reset();
  if (!m.credit)
    return std::nullopt;
  auto next = m.waiting;
  m.waiting.reset();
  return next;
}

void check_counts(const pipeline& p, const model& m) {
  auto frames = static_cast<std::uint64_t>(m.fates.size());
  ASSERT_EQ(p.accepted(), frames + m.shed);
  ASSERT_EQ(p.delivered(), m.count(fate::delivered));
  ASSERT_EQ(p.dropped(), m.count(fate::dropped) + m.shed);
  // Every accepted frame is somewhere, and in one place only.
  ASSERT_EQ(p.accepted(), p.delivered() + p.dropped() + m.count(fate::waiting) +
                              m.count(fate::in_flight) +
                              m.count(fate::result_waiting));
  ASSERT_LE(m.count(fate::waiting), 1u);
  ASSERT_LE(m.count(fate::in_flight), 1u);
  ASSERT_LE(m.count(fate::result_waiting), 1u);
  ASSERT_EQ(p.in_flight().has_value(), m.in_flight.has_value());
  if (m.in_flight) {
    ASSERT_EQ(*p.in_flight(), m.sequences[*m.in_flight]);
  }
  ASSERT_EQ(p.result_waiting(), m.result_waiting.has_value());
  ASSERT_LE(m.reported_drops, p.dropped());
}

// One random run: `steps` events drawn from `rng`, then a drain. With
// `credits`, the session's credit comes and goes at random (credit_gate.hpp):
// without one, frames wait however free the AI slot is.
void run_random(std::uint32_t seed, int steps, bool sequences_may_go_back,
                bool credits = false) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto roll = [&](int n) {
    return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng));
  };
  pipeline p;
  model m;
  std::int64_t next_seq = 1;
  std::vector<std::int64_t> delivered_seqs;

  auto answer = [&](bool ok) {
    ASSERT_TRUE(m.in_flight);
    int id = *m.in_flight;
    auto seq = m.sequences[id];
    std::optional<pipeline::dispatch> d;
    if (!ok) {
      d = p.on_failure(seq, m.credit);
      m.end(id, fate::dropped);
    } else {
      d = p.on_result(seq, test_result{id}, m.credit);
      bool stale = (m.last_delivered && seq <= *m.last_delivered) ||
                   (m.result_waiting && seq <= m.sequences[*m.result_waiting]);
      if (stale) {
        m.end(id, fate::dropped);
      } else {
        if (m.result_waiting)
          m.end(*m.result_waiting, fate::dropped);
        m.fates[id] = fate::result_waiting;
        m.result_waiting = id;
      }
    }
    check_dispatch(d, m, next_in_model(m));
  };
  auto deliver = [&] {
    std::int64_t dropped = -1;
    auto r = p.take_delivery(dropped);
    ASSERT_EQ(r.has_value(), !m.writing && m.result_waiting.has_value());
    if (!r)
      return;
    ASSERT_EQ(r->id, *m.result_waiting);
    ASSERT_GE(dropped, 0);
    m.reported_drops += static_cast<std::uint64_t>(dropped);
    auto seq = m.sequences[r->id];
    if (!delivered_seqs.empty()) {
      ASSERT_GT(seq, delivered_seqs.back()) << "delivered out of order";
    }
    delivered_seqs.push_back(seq);
    m.end(r->id, fate::delivered);
    m.result_waiting.reset();
    m.last_delivered = seq;
    m.writing = true;
  };

  for (int step = 0; step < steps; ++step) {
    switch (roll(credits ? 11 : 10)) {
    case 0:
    case 1:
    case 2: { // a client frame
      std::int64_t seq = next_seq++;
      if (sequences_may_go_back && roll(8) == 0)
        seq = std::max<std::int64_t>(1, seq - roll(6)); // repeats too
      int id = static_cast<int>(m.fates.size());
      m.fates.push_back(fate::waiting);
      m.sequences.push_back(seq);
      auto d = p.on_frame(seq, test_frame{id}, m.credit);
      if (m.in_flight || !m.credit) {
        ASSERT_FALSE(d);
        if (m.waiting)
          m.end(*m.waiting, fate::dropped);
        m.waiting = id;
      } else {
        check_dispatch(d, m, id);
      }
      break;
    }
    case 3:
    case 4: // the AI answers
      if (m.in_flight)
        answer(true);
      break;
    case 5: // the AI fails or times out
      if (m.in_flight)
        answer(false);
      break;
    case 6: { // a late or foreign answer: must change nothing
      std::int64_t seq = next_seq - 1 - roll(4);
      if (m.in_flight && m.sequences[*m.in_flight] == seq)
        break;
      if (roll(2) == 0) {
        ASSERT_FALSE(p.on_result(seq, test_result{-1}));
      } else {
        ASSERT_FALSE(p.on_failure(seq));
      }
      break;
    }
    case 7:
      deliver();
      break;
    case 8:
      if (m.writing) {
        p.on_written();
        m.writing = false;
      }
      break;
    case 9: // frames shed before the pipeline (queue full, AI away)
      if (roll(4) == 0) {
        auto n = static_cast<std::uint64_t>(roll(3));
        p.on_shed(n);
        m.shed += n;
      }
      break;
    case 10: // the credit goes, or comes and the waiting frame may go
      m.credit = roll(2) == 0;
      if (m.credit) {
        auto d = p.release();
        std::optional<int> expected;
        if (!m.in_flight) {
          expected = m.waiting;
          m.waiting.reset();
        }
        check_dispatch(d, m, expected);
      }
      break;
    }
    check_counts(p, m);
    if (::testing::Test::HasFatalFailure())
      return;
  }

  // Drain: the AI answers, the client reads, no new frames; the credit
  // comes back for good.
  if (!m.credit) {
    m.credit = true;
    std::optional<int> expected;
    if (!m.in_flight) {
      expected = m.waiting;
      m.waiting.reset();
    }
    check_dispatch(p.release(), m, expected);
    if (::testing::Test::HasFatalFailure())
      return;
  }
  for (int guard = 0; !p.idle() && guard < 16; ++guard) {
    if (m.in_flight)
      answer(roll(4) != 0);
    if (m.writing) {
      p.on_written();
      m.writing = false;
    }
    deliver();
    check_counts(p, m);
    if (::testing::Test::HasFatalFailure())
      return;
  }
  if (m.writing) {
    p.on_written();
    m.writing = false;
  }
  ASSERT_TRUE(p.idle());
  ASSERT_EQ(m.count(fate::waiting) + m.count(fate::in_flight) +
                m.count(fate::result_waiting),
            0u);
  // processed + dropped = accepted (PROTOCOL.md, Backpressure).
  ASSERT_EQ(p.delivered() + p.dropped(), p.accepted());
  ASSERT_EQ(p.delivered(), delivered_seqs.size());
}

} // namespace

TEST(FramePipelineRandomTest, IncreasingSequences) {
  for (std::uint32_t seed = 1; seed <= 500; ++seed) {
    run_random(seed, 200, false);
    if (HasFatalFailure())
      return;
  }
}

TEST(FramePipelineRandomTest, SequencesThatRepeatOrGoBack) {
  for (std::uint32_t seed = 1; seed <= 500; ++seed) {
    run_random(seed, 200, true);
    if (HasFatalFailure())
      return;
  }
}

TEST(FramePipelineRandomTest, CreditsThatComeAndGo) {
  for (std::uint32_t seed = 1; seed <= 500; ++seed) {
    run_random(seed, 200, seed % 2 == 0, true);
    if (HasFatalFailure())
      return;
  }
}

TEST(FramePipelineTest, WithoutACreditTheFrameWaitsAndANewerOneReplacesIt) {
  pipeline p;
  EXPECT_FALSE(p.on_frame(1, test_frame{1}, false));
  EXPECT_TRUE(p.frame_waiting());
  EXPECT_FALSE(p.in_flight());
  EXPECT_FALSE(p.on_frame(2, test_frame{2}, false)); // 1 dropped
  auto d = p.release();
  ASSERT_TRUE(d);
  EXPECT_EQ(d->sequence, 2);
  EXPECT_EQ(p.in_flight(), 2);
  EXPECT_FALSE(p.release()); // one in flight at most
  EXPECT_FALSE(p.on_frame(3, test_frame{3}));
  // Answered without a credit: frame 3 stays home.
  EXPECT_FALSE(p.on_result(2, test_result{2}, false));
  EXPECT_TRUE(p.frame_waiting());
  EXPECT_EQ(p.release()->sequence, 3);
  EXPECT_EQ(p.dropped(), 1u);
}
