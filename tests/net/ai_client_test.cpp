// net/ai_client against a refused port and the reference AI service.

#include "net/ai_client.hpp"

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "protocol/ai_message.hpp"
#include "real_parts.hpp"
#include "tests/net/ai_process.hpp"

using namespace tryon;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

/// Collects a channel's events across threads.
struct event_sink {
  std::mutex mu;
  std::condition_variable cv;
  int opens = 0;
  int downs = 0;
  std::vector<std::string> texts;
  std::vector<std::shared_ptr<const std::string>> binaries;

  actors::ai_events events() {
    actors::ai_events ev;
    ev.on_open = [this] { update([this] { ++opens; }); };
    ev.on_down = [this](std::string) { update([this] { ++downs; }); };
    ev.on_text = [this](std::string t) {
      update([&] { texts.push_back(std::move(t)); });
    };
    ev.on_binary = [this](std::shared_ptr<const std::string> b) {
      update([&] { binaries.push_back(std::move(b)); });
    };
    return ev;
  }

  template <class F>
  void update(F f) {
    std::lock_guard<std::mutex> guard{mu};
    f();
    cv.notify_all();
  }

  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock<std::mutex> lock{mu};
    return cv.wait_for(lock, timeout, pred);
  }
};

class AiClientTest : public ::testing::Test {
protected:
  AiClientTest() : work(boost::asio::make_work_guard(ioc)) {
    io_thread = std::thread{[this] { ioc.run(); }};
  }

  ~AiClientTest() override {
    if (channel)
      channel->shutdown();
    channel.reset();
    work.reset();
    io_thread.join();
  }

  void make(const std::string& url, net::ai_client_limits limits = {}) {
    channel = net::make_ai_channel_factory(ioc, limits)(url, sink.events());
  }

  boost::asio::io_context ioc;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  std::thread io_thread;
  event_sink sink;
  std::shared_ptr<actors::ai_channel> channel;
};

} // namespace

TEST_F(AiClientTest, InvalidUrlReportsDown) {
  make("http://127.0.0.1:1/x");
  channel->connect();
  EXPECT_TRUE(sink.wait([&] { return sink.downs == 1; }));
  EXPECT_FALSE(channel->send_text("x"));
}

TEST_F(AiClientTest, RefusedConnectReportsDownOncePerAttempt) {
  make("ws://127.0.0.1:" + std::to_string(free_port()) + "/ws/tryon");
  EXPECT_FALSE(channel->send_text("early"));
  channel->connect();
  ASSERT_TRUE(sink.wait([&] { return sink.downs == 1; }));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(sink.downs, 1);
  EXPECT_EQ(sink.opens, 0);
  EXPECT_FALSE(
      channel->send_binary(std::make_shared<const std::string>("frame")));
  channel->connect();
  EXPECT_TRUE(sink.wait([&] { return sink.downs == 2; }));
}

TEST_F(AiClientTest, RoundTripWithReferenceService) {
  TRYON_REQUIRE_REAL_PART(ai_process::available(),
                          "the tryon-ai binary " + ai_process::binary());
  ai_process ai{free_port(), {"--passthrough"}};
  ASSERT_TRUE(ai.start());
  auto design = write_temp_file("design.jpg", make_jpeg(64, 64));
  net::ai_client_limits limits;
  limits.max_bytes = 4096;
  make(ai.url(), limits);
  channel->connect();
  ASSERT_TRUE(sink.wait([&] { return sink.opens == 1; }));
  ASSERT_TRUE(channel->send_text(
      protocol::ai_init_session("s1", "file://" + design, std::nullopt)));
  // The service says its capacity first (AI credits), then answers.
  ASSERT_TRUE(sink.wait([&] { return sink.texts.size() >= 2; }));
  EXPECT_NE(sink.texts[0].find(R"("type":"capacity")"), std::string::npos)
      << sink.texts[0];
  EXPECT_NE(sink.texts[1].find("session_initialized"), std::string::npos)
      << sink.texts[1];
  auto jpeg = make_jpeg(32, 24);
  auto msg = protocol::encode_ai_frame("s1", 5, 1, "jpeg", jpeg);
  EXPECT_FALSE(channel->send_binary(std::make_shared<const std::string>(
      std::string(5000, 'x')))); // over max_bytes
  ASSERT_TRUE(channel->send_binary(std::make_shared<const std::string>(msg)));
  ASSERT_TRUE(sink.wait([&] { return !sink.binaries.empty(); }));
  auto header = protocol::decode_ai_processed_frame(*sink.binaries[0]);
  ASSERT_TRUE(std::holds_alternative<protocol::ai_processed_header>(header));
  EXPECT_EQ(std::get<protocol::ai_processed_header>(header).sequence, 5);
  EXPECT_EQ(sink.binaries[0]->substr(protocol::frame_header_size), jpeg);
  channel->shutdown();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(sink.downs, 0); // no events after shutdown
  EXPECT_FALSE(channel->send_text("after shutdown"));
  std::remove(design.c_str());
}

TEST_F(AiClientTest, ServiceLossReportsDownThenReconnects) {
  TRYON_REQUIRE_REAL_PART(ai_process::available(),
                          "the tryon-ai binary " + ai_process::binary());
  ai_process ai{free_port(), {"--passthrough"}};
  ASSERT_TRUE(ai.start());
  make(ai.url());
  channel->connect();
  ASSERT_TRUE(sink.wait([&] { return sink.opens == 1; }));
  ai.kill();
  ASSERT_TRUE(sink.wait([&] { return sink.downs == 1; }));
  EXPECT_FALSE(channel->send_text("while down"));
  ASSERT_TRUE(ai.start());
  channel->connect();
  ASSERT_TRUE(sink.wait([&] { return sink.opens == 2; }));
  EXPECT_EQ(sink.downs, 1);
  EXPECT_TRUE(channel->send_text("hello again"));
}
