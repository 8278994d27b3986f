#include "net/ai_send_queue.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using tryon::net::ai_send_queue;
using tryon::net::ai_send_queue_limits;

namespace {

ai_send_queue::message bin(std::size_t n) {
  return {std::make_shared<const std::string>(n, 'x'), false};
}

ai_send_queue::message text(const std::string& s) {
  return {std::make_shared<const std::string>(s), true};
}

ai_send_queue_limits limits(std::size_t frames, std::size_t frame_bytes,
                            std::size_t control = 8,
                            std::size_t control_bytes = 1000) {
  ai_send_queue_limits l;
  l.max_frames = frames;
  l.max_frame_bytes = frame_bytes;
  l.max_control = control;
  l.max_control_bytes = control_bytes;
  return l;
}

/// Drains the queue as the writer does; the payloads in write order.
std::vector<std::string> drain(ai_send_queue& q, std::uint64_t connection) {
  std::vector<std::string> out;
  while (auto m = q.front(connection)) {
    out.push_back(*m->data);
    if (!q.pop(connection))
      break;
  }
  return out;
}

} // namespace

TEST(AiSendQueueTest, RefusesWhileClosed) {
  ai_send_queue q{limits(4, 1000)};
  EXPECT_FALSE(q.push(bin(1)).accepted);
  q.open(1);
  EXPECT_TRUE(q.push(bin(1)).accepted);
  q.close();
  EXPECT_FALSE(q.push(text("t")).accepted);
  EXPECT_FALSE(q.front(1));
}

TEST(AiSendQueueTest, OneWriterAtATime) {
  ai_send_queue q{limits(4, 1000)};
  q.open(7);
  auto first = q.push(bin(1));
  EXPECT_TRUE(first.start_writer);
  EXPECT_EQ(first.connection, 7u);
  EXPECT_FALSE(q.push(bin(2)).start_writer);
  ASSERT_TRUE(q.front(7));
  EXPECT_EQ(q.front(7)->data->size(), 1u);
  EXPECT_TRUE(q.pop(7));  // another one waits
  EXPECT_FALSE(q.pop(7)); // writer ends
  EXPECT_TRUE(q.push(bin(1)).start_writer);
}

TEST(AiSendQueueTest, BoundsBinaryByCountAndBytes) {
  ai_send_queue q{limits(2, 100)};
  q.open(1);
  EXPECT_TRUE(q.push(bin(60)).accepted);
  EXPECT_FALSE(q.push(bin(41)).accepted); // bytes
  EXPECT_TRUE(q.push(bin(40)).accepted);
  EXPECT_FALSE(q.push(bin(0)).accepted); // count
  ASSERT_TRUE(q.front(1));
  q.pop(1);
  EXPECT_TRUE(q.push(bin(50)).accepted);
}

TEST(AiSendQueueTest, ControlMessagesPassAFullFrameLane) {
  // The storm of issue 14: frames fill their lane, and every init_session
  // and close_session is still accepted (up to the control lane's bound).
  ai_send_queue q{limits(2, 100, 100, 100000)};
  q.open(1);
  ASSERT_TRUE(q.push(bin(50)).accepted);
  ASSERT_TRUE(q.push(bin(50)).accepted);
  ASSERT_FALSE(q.push(bin(1)).accepted);
  for (int i = 0; i < 100; ++i)
    EXPECT_TRUE(q.push(text("init " + std::to_string(i))).accepted) << i;
  EXPECT_FALSE(q.push(text("one too many")).accepted);
  EXPECT_FALSE(q.push(bin(1)).accepted); // frames still bounded
}

TEST(AiSendQueueTest, ControlLaneIsBoundedInBytes) {
  ai_send_queue q{limits(2, 100, 100, 10)};
  q.open(1);
  EXPECT_TRUE(q.push(text("123456")).accepted);
  EXPECT_FALSE(q.push(text("12345")).accepted);
  EXPECT_TRUE(q.push(text("1234")).accepted);
  EXPECT_TRUE(q.push(bin(100)).accepted); // the frame lane is apart
}

TEST(AiSendQueueTest, ControlIsWrittenBeforeQueuedFrames) {
  ai_send_queue q{limits(8, 1000)};
  q.open(1);
  q.push(text("init a"));
  q.push(bin(1));
  q.push(bin(2));
  q.push(text("close a"));
  q.push(text("init b"));
  EXPECT_EQ(drain(q, 1), (std::vector<std::string>{"init a", "close a",
                                                   "init b", "x", "xx"}));
}

TEST(AiSendQueueTest, MessageBeingWrittenStaysFrontAndCounted) {
  ai_send_queue q{limits(1, 1000)};
  q.open(1);
  q.push(bin(3));
  auto writing = q.front(1);
  ASSERT_TRUE(writing);
  // A control message arriving mid-write goes next, not instead: the
  // writer's pop() ends the frame it wrote.
  q.push(text("init"));
  EXPECT_EQ(*q.front(1)->data, "xxx");
  EXPECT_FALSE(q.push(bin(1)).accepted); // the frame being written counts
  EXPECT_TRUE(q.pop(1));
  EXPECT_EQ(*q.front(1)->data, "init");
  EXPECT_TRUE(q.push(bin(1)).accepted);
  EXPECT_TRUE(q.pop(1));
  EXPECT_EQ(*q.front(1)->data, "x");
  EXPECT_FALSE(q.pop(1));
}

TEST(AiSendQueueTest, OldConnectionCannotDrainNewQueue) {
  ai_send_queue q{limits(4, 1000)};
  q.open(1);
  q.push(bin(1));
  q.close();
  q.open(2);
  EXPECT_TRUE(q.push(bin(3)).start_writer);
  EXPECT_FALSE(q.front(1));
  EXPECT_FALSE(q.pop(1));
  ASSERT_TRUE(q.front(2));
  EXPECT_EQ(q.front(2)->data->size(), 3u);
}
