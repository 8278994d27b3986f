#include "ai_service/frame_router.hpp"

#include "ai_service/ai_metrics.hpp"
#include "ai_service/image_codec.hpp"
#include "ai_service/session_registry.hpp"
#include "ai_service/worker_pool.hpp"
#include "protocol/ai_message.hpp"
#include "test_images.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

using namespace tryon;
using namespace tryon::ai;

namespace {

// The connection side, with the test thread playing the strand.
class fake_port : public connection_port {
public:
  struct message {
    std::string data;
    bool binary;
  };

  void dispatch(std::function<void()> fn) override {
    std::lock_guard<std::mutex> lock(mtx_);
    posted_.push_back(std::move(fn));
    cv_.notify_one();
  }

  void send(std::string data, bool binary) override {
    sent.push_back({std::move(data), binary});
  }

  void job_done() override { ++jobs_done; }

  /// Runs posted functions until `done()` holds; false on timeout.
  template <class Pred>
  bool run_until(Pred done) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done()) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mtx_);
        if (!cv_.wait_until(lock, deadline,
                            [this] { return !posted_.empty(); }))
          return false;
        fn = std::move(posted_.front());
        posted_.pop_front();
      }
      fn();
    }
    return true;
  }

  std::vector<message> sent;
  int jobs_done = 0;

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> posted_;
};

class FrameRouterTest : public ::testing::Test {
protected:
  void SetUp() override {
    design_jpeg_ = std::get<std::string>(encode_jpeg(make_demo_design(64), 90));
    hand_ = std::get<std::string>(encode_jpeg(test::draw_hand(320, 180), 85));
  }

  void TearDown() override { pool_.stop(); }

  // Serves "http://fake/..." from memory and fails anything else.
  http_fetcher fetcher() {
    return [this](const reference_url& url, auto done) {
      if (url.host == "fake")
        done(design_jpeg_);
      else
        done(pipeline_error{"connection refused"});
    };
  }

  void init(frame_router& r, const std::string& id, const std::string& url) {
    r.on_text(protocol::ai_init_session(id, url, std::nullopt));
  }

  service_options opts_;
  worker_pool pool_{4};
  session_registry sessions_;
  std::string design_jpeg_;
  std::string hand_;
};

} // namespace

TEST_F(FrameRouterTest, KeepsEachSessionsRepliesInOrder) {
  service_context ctx{opts_, pool_, sessions_, fetcher(), {}, {}};
  auto port = std::make_shared<fake_port>();
  frame_router router(ctx);
  router.attach(port);
  init(router, "a", "http://fake/a.jpg");
  init(router, "b", "http://fake/b.jpg");
  ASSERT_TRUE(port->run_until([&] { return port->sent.size() == 2; }));
  EXPECT_EQ(sessions_.size(), 2u);
  for (int seq = 0; seq < 12; ++seq)
    for (const char* id : {"a", "b"})
      router.on_binary(protocol::encode_ai_frame(id, seq, 0, "jpeg", hand_));
  EXPECT_GT(router.load(), 0u);
  ASSERT_TRUE(port->run_until([&] { return port->sent.size() == 26; }));
  EXPECT_EQ(router.load(), 0u);
  EXPECT_EQ(port->jobs_done, 26);
  std::map<std::string, std::int64_t> next;
  for (std::size_t i = 2; i < port->sent.size(); ++i) {
    ASSERT_TRUE(port->sent[i].binary);
    auto h = protocol::decode_ai_processed_frame(port->sent[i].data);
    ASSERT_TRUE(std::holds_alternative<protocol::ai_processed_header>(h));
    const auto& header = std::get<protocol::ai_processed_header>(h);
    EXPECT_EQ(header.sequence, next[header.session_id]++)
        << "session " << header.session_id;
    EXPECT_GT(header.confidence, 0.5);
  }
  EXPECT_EQ(next["a"], 12);
  EXPECT_EQ(next["b"], 12);
}

TEST_F(FrameRouterTest, ReportsInitFailuresAndUnknownSessions) {
  service_context ctx{opts_, pool_, sessions_, fetcher(), {}, {}};
  auto port = std::make_shared<fake_port>();
  frame_router router(ctx);
  router.attach(port);
  init(router, "x", "http://unreachable/x.jpg");
  init(router, "y", "ftp://fake/y.jpg"); // no such scheme
  ASSERT_TRUE(port->run_until([&] { return port->sent.size() == 2; }));
  for (const auto& m : port->sent) {
    auto ev = protocol::parse_ai_event(m.data);
    ASSERT_TRUE(std::holds_alternative<protocol::ai_event>(ev));
    const auto* err = std::get_if<protocol::ai_session_error>(
        &std::get<protocol::ai_event>(ev));
    ASSERT_NE(err, nullptr) << m.data;
    EXPECT_EQ(err->code, "INIT_FAILED");
  }
  EXPECT_EQ(sessions_.size(), 0u);
  router.on_binary(protocol::encode_ai_frame("x", 5, 0, "jpeg", hand_));
  ASSERT_EQ(port->sent.size(), 3u); // answered at once, no job
  EXPECT_NE(port->sent[2].data.find("INVALID_SESSION"), std::string::npos);
  router.on_binary(std::string(100, 'z')); // shorter than a header
  ASSERT_EQ(port->sent.size(), 4u);
  EXPECT_NE(port->sent[3].data.find("frame_error"), std::string::npos);
  EXPECT_EQ(router.load(), 0u);
}

TEST_F(FrameRouterTest, CloseDropsFramesNotStarted) {
  opts_.delay_ms = 100;
  service_context ctx{opts_, pool_, sessions_, fetcher(), {}, {}};
  auto port = std::make_shared<fake_port>();
  frame_router router(ctx);
  router.attach(port);
  init(router, "c", "http://fake/c.jpg");
  ASSERT_TRUE(port->run_until([&] { return port->sent.size() == 1; }));
  for (int seq = 0; seq < 5; ++seq)
    router.on_binary(protocol::encode_ai_frame("c", seq, 0, "jpeg", hand_));
  EXPECT_EQ(router.load(), 5u);
  router.on_text(protocol::ai_close_session("c"));
  EXPECT_EQ(router.load(), 1u); // the one rendering
  ASSERT_TRUE(port->run_until([&] { return router.load() == 0; }));
  EXPECT_EQ(port->sent.size(), 2u);
  EXPECT_EQ(sessions_.size(), 0u);
}

TEST_F(FrameRouterTest, CountsFramesAndErrorsForMetrics) {
  auto metrics = std::make_shared<ai_metrics>();
  service_context ctx{opts_, pool_, sessions_, fetcher(), metrics, {}};
  auto port = std::make_shared<fake_port>();
  frame_router router(ctx);
  router.attach(port);
  init(router, "m", "http://fake/m.jpg");
  ASSERT_TRUE(port->run_until([&] { return port->sent.size() == 1; }));
  router.on_binary(protocol::encode_ai_frame("m", 1, 0, "jpeg", hand_));
  router.on_binary(protocol::encode_ai_frame("nobody", 2, 0, "jpeg", hand_));
  router.on_binary("not a frame");
  ASSERT_TRUE(port->run_until([&] { return port->sent.size() == 4; }));
  auto text = metrics->prometheus_text(sessions_.size());
  auto has = [&](const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
  };
  EXPECT_TRUE(has("tryon_ai_frames_total{result=\"processed\"} 1")) << text;
  EXPECT_TRUE(has("tryon_ai_frames_total{result=\"rejected\"} 2")) << text;
  EXPECT_TRUE(has("tryon_ai_frames_total{result=\"failed\"} 0")) << text;
  EXPECT_TRUE(has("tryon_ai_errors_total{code=\"INVALID_SESSION\"} 2")) << text;
  EXPECT_TRUE(has("tryon_ai_frame_duration_seconds_count 1")) << text;
  EXPECT_TRUE(has("tryon_ai_sessions 1")) << text;
}
