// tryon-ai's capacity messages (AI credits): each connection's share of
// the frames the service takes at once, told on join and whenever it
// changes.

#include "ai_service/capacity_board.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/ai_message.hpp"

using namespace tryon::ai;

namespace {

/// A connection that runs dispatched work at once and records what it got.
class recording_port : public connection_port {
public:
  void dispatch(std::function<void()> fn) override { fn(); }
  void send(std::string data, bool binary) override {
    EXPECT_FALSE(binary);
    auto ev = tryon::protocol::parse_ai_event(data);
    auto& event = std::get<tryon::protocol::ai_event>(ev);
    frames.push_back(std::get<tryon::protocol::ai_capacity>(event).frames);
  }
  void job_done() override {}
  std::vector<std::size_t> frames; ///< every capacity told, in order
};

using sizes = std::vector<std::size_t>;

} // namespace

TEST(CapacityBoardTest, ShareIsTheTotalSplitRoundedUpAndAtLeastOne) {
  EXPECT_EQ(capacity_board::share(2, 1), 2u);
  EXPECT_EQ(capacity_board::share(2, 2), 1u);
  EXPECT_EQ(capacity_board::share(5, 2), 3u);
  EXPECT_EQ(capacity_board::share(2, 3), 1u);
  EXPECT_EQ(capacity_board::share(0, 3), 0u);
}

TEST(CapacityBoardTest, ConnectionsHearTheirShareAsOthersComeAndGo) {
  capacity_board board{4};
  auto a = std::make_shared<recording_port>();
  auto b = std::make_shared<recording_port>();
  auto c = std::make_shared<recording_port>();
  board.join(a);
  EXPECT_EQ(a->frames, sizes{4});
  board.join(b); // 4 / 2: both hear 2
  EXPECT_EQ(a->frames, (sizes{4, 2}));
  EXPECT_EQ(b->frames, sizes{2});
  board.join(c); // 4 / 3 rounds up to 2: unchanged, only c hears it
  EXPECT_EQ(a->frames, (sizes{4, 2}));
  EXPECT_EQ(c->frames, sizes{2});
  board.leave(c.get()); // still 2 each: nobody told
  EXPECT_EQ(a->frames, (sizes{4, 2}));
  board.leave(b.get()); // a alone again: 4
  EXPECT_EQ(a->frames, (sizes{4, 2, 4}));
  EXPECT_EQ(b->frames, sizes{2});
}

TEST(CapacityBoardTest, ATotalOfZeroSaysNothing) {
  capacity_board board{0};
  auto a = std::make_shared<recording_port>();
  board.join(a);
  board.leave(a.get());
  EXPECT_TRUE(a->frames.empty());
}
