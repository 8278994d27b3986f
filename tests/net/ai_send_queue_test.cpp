#include "net/ai_send_queue.hpp"

#include <gtest/gtest.h>

using tryon::net::ai_send_queue;

namespace {

ai_send_queue::message bin(std::size_t n) {
  return {std::make_shared<const std::string>(n, 'x'), false};
}

ai_send_queue::message text(const std::string& s) {
  return {std::make_shared<const std::string>(s), true};
}

} // namespace

TEST(AiSendQueueTest, RefusesWhileClosed) {
  ai_send_queue q{4, 1000};
  EXPECT_FALSE(q.push(bin(1)).accepted);
  q.open(1);
  EXPECT_TRUE(q.push(bin(1)).accepted);
  q.close();
  EXPECT_FALSE(q.push(text("t")).accepted);
  EXPECT_FALSE(q.front(1));
}

TEST(AiSendQueueTest, OneWriterAtATime) {
  ai_send_queue q{4, 1000};
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
  ai_send_queue q{2, 100};
  q.open(1);
  EXPECT_TRUE(q.push(bin(60)).accepted);
  EXPECT_FALSE(q.push(bin(41)).accepted); // bytes
  EXPECT_TRUE(q.push(bin(40)).accepted);
  EXPECT_FALSE(q.push(bin(0)).accepted);      // count
  EXPECT_TRUE(q.push(text("init")).accepted); // text still passes
  EXPECT_TRUE(q.push(text("close")).accepted);
  EXPECT_FALSE(q.push(text("more")).accepted); // 2 x max_messages in all
  q.pop(1);
  EXPECT_TRUE(q.push(bin(50)).accepted);
}

TEST(AiSendQueueTest, OldConnectionCannotDrainNewQueue) {
  ai_send_queue q{4, 1000};
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
