#include "bench/harness/phone_session.hpp"

#include "protocol/server_message.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace tryon::bench;
using namespace std::chrono_literals;

namespace {

// A link whose timers and posts the test fires by hand.
class fake_link : public ws_link {
public:
  void start(ws_link_events e) override {
    ev = std::move(e);
    started = true;
  }
  void send_text(std::string t) override { sent.push_back({false, t}); }
  void send_binary(shared_bytes h, shared_bytes b) override {
    sent.push_back({true, *h + *b});
  }
  std::size_t backlog() const override { return busy; }
  void at(int slot, bench_clock::time_point when,
          std::function<void()> fn) override {
    timers[slot] = {when, std::move(fn)};
  }
  void post(std::function<void()> fn) override { posted.push_back(fn); }
  void close() override { closed = true; }

  void run_posted() {
    auto fns = std::move(posted);
    posted.clear();
    for (auto& f : fns)
      f();
  }
  bool fire(int slot) {
    auto it = timers.find(slot);
    if (it == timers.end())
      return false;
    auto fn = std::move(it->second.second);
    timers.erase(it);
    fn();
    return true;
  }

  ws_link_events ev;
  bool started = false;
  bool closed = false;
  std::size_t busy = 0;
  std::vector<std::pair<bool, std::string>> sent;
  std::map<int, std::pair<bench_clock::time_point, std::function<void()>>>
      timers;
  std::vector<std::function<void()>> posted;
};

class PhoneSessionTest : public ::testing::Test {
protected:
  void SetUp() override {
    rec.set_window(bench_clock::now() - 1h, bench_clock::now() + 1h);
    frames.push_back(make_frame(640, 480, 0, 30 * 1024));
  }

  std::unique_ptr<phone_session> make(phone_config cfg) {
    cfg.frames = &frames;
    link = std::make_shared<fake_link>();
    return std::make_unique<phone_session>("s1", link, make_server_dialect(),
                                           cfg, rec);
  }

  void open(phone_session& p) {
    p.connect_at(bench_clock::now());
    link->run_posted();
    ASSERT_TRUE(link->fire(3));
    ASSERT_TRUE(link->started);
    link->ev.on_open();
  }

  void reply(std::int64_t seq, std::int64_t dropped) {
    link->ev.on_message(false, tryon::protocol::processed_frame(
                                   seq, 1, 1.0, 0.5, "jpeg", dropped));
    link->ev.on_message(true, "\xff\xd8 processed");
  }

  run_recorder rec;
  std::vector<frame_image> frames;
  std::shared_ptr<fake_link> link;
};

} // namespace

TEST_F(PhoneSessionTest, StreamsAndAccountsForEveryReply) {
  auto p = make({});
  open(*p);
  ASSERT_EQ(link->sent.size(), 1u);
  EXPECT_EQ(link->sent[0].second, R"({"type":"init_session"})");
  link->ev.on_message(
      false, tryon::protocol::session_ready("s1", "u", "explore", {}, 1));
  EXPECT_TRUE(p->counters().ready);
  p->begin(bench_clock::now(), bench_clock::now() + 1h);
  link->run_posted();
  ASSERT_TRUE(link->fire(0)); // frame 1
  ASSERT_EQ(link->sent.size(), 2u);
  EXPECT_TRUE(link->sent[1].first);
  reply(1, 0);
  link->busy = 1;
  ASSERT_TRUE(link->fire(0)); // socket busy: skipped
  link->busy = 0;
  ASSERT_TRUE(link->fire(0)); // frame 2
  ASSERT_TRUE(link->fire(0)); // frame 3
  reply(3, 1);                // frame 2 dropped by the server
  reply(-5, 0);               // a reply to nothing we remember
  const auto& c = p->counters();
  EXPECT_EQ(c.sent, 3u);
  EXPECT_EQ(c.processed, 2u);
  EXPECT_EQ(c.dropped, 1u);
  EXPECT_EQ(c.skipped, 1u);
  EXPECT_EQ(c.unmatched, 1u);
  EXPECT_GT(c.bytes_out, 3u * 30000);
  EXPECT_EQ(rec.window_latency().count(), 2u);
  p->finish();
  link->run_posted();
  EXPECT_TRUE(link->closed); // nothing outstanding: closes at once
  link->ev.on_closed("closed by peer (1000)");
  EXPECT_TRUE(p->done());
  EXPECT_FALSE(c.broken);
  EXPECT_TRUE(rec.error_codes().empty());
}

TEST_F(PhoneSessionTest, FinishWaitsForOutstandingRepliesThenDrains) {
  auto p = make({});
  open(*p);
  link->ev.on_message(
      false, tryon::protocol::session_ready("s1", "u", "explore", {}, 1));
  p->begin(bench_clock::now(), bench_clock::now() + 1h);
  link->run_posted();
  link->fire(0);
  link->fire(0); // frames 1 and 2 out
  p->finish();
  link->run_posted();
  EXPECT_FALSE(link->closed);
  reply(1, 0);
  EXPECT_FALSE(link->closed);
  reply(2, 0); // the last answer closes
  EXPECT_TRUE(link->closed);

  auto q = make({});
  open(*q);
  link->ev.on_message(
      false, tryon::protocol::session_ready("s1", "u", "explore", {}, 1));
  q->begin(bench_clock::now(), bench_clock::now() + 1h);
  link->run_posted();
  link->fire(0);
  q->finish();
  link->run_posted();
  EXPECT_FALSE(link->closed);
  ASSERT_TRUE(link->fire(1)); // drain timeout
  EXPECT_TRUE(link->closed);
}

TEST_F(PhoneSessionTest, FrameLimitAndStopTime) {
  phone_config cfg;
  cfg.max_frames = 2;
  auto p = make(cfg);
  open(*p);
  link->ev.on_message(
      false, tryon::protocol::session_ready("s1", "u", "explore", {}, 1));
  p->begin(bench_clock::now(), bench_clock::now() + 1h);
  link->run_posted();
  link->fire(0);
  EXPECT_FALSE(p->stream_done());
  link->fire(0);
  EXPECT_TRUE(p->stream_done());
  EXPECT_FALSE(link->fire(0)); // nothing scheduled any more

  auto q = make({});
  open(*q);
  link->ev.on_message(
      false, tryon::protocol::session_ready("s1", "u", "explore", {}, 1));
  q->begin(bench_clock::now(), bench_clock::now()); // already over
  link->run_posted();
  EXPECT_TRUE(q->stream_done());
}

TEST_F(PhoneSessionTest, IdleSessionsPingAndTimeThePong) {
  phone_config cfg;
  cfg.idle = true;
  cfg.send_init = false;
  cfg.ping_interval = 1000ms;
  auto p = make(cfg);
  open(*p);
  EXPECT_TRUE(p->counters().ready); // no init message for idle phones
  EXPECT_TRUE(link->sent.empty());
  p->begin(bench_clock::now(), bench_clock::now() + 1h);
  link->run_posted();
  ASSERT_TRUE(link->fire(0));
  ASSERT_EQ(link->sent.size(), 1u);
  auto ping = nlohmann::json::parse(link->sent[0].second);
  EXPECT_EQ(ping["type"], "ping");
  link->ev.on_message(false, tryon::protocol::pong(ping["timestamp"]));
  EXPECT_EQ(p->counters().pongs, 1u);
  EXPECT_EQ(rec.window_latency().count(), 1u);
  EXPECT_TRUE(link->timers.count(0)); // next ping scheduled
}

TEST_F(PhoneSessionTest, ErrorBeforeReadyBreaksTheSession) {
  auto p = make({});
  open(*p);
  link->ev.on_message(
      false, tryon::protocol::error_message(
                 tryon::protocol::error_code::init_failed, "no design", 1));
  EXPECT_TRUE(p->counters().broken);
  EXPECT_TRUE(link->closed);
  EXPECT_EQ(rec.error_codes().at("INIT_FAILED"), 1u);
  link->ev.on_closed("closed");
  EXPECT_TRUE(p->done());
}

TEST_F(PhoneSessionTest, ConnectFailureIsRecorded) {
  auto p = make({});
  p->connect_at(bench_clock::now());
  link->run_posted();
  link->fire(3);
  link->ev.on_closed("connect: Connection refused");
  EXPECT_TRUE(p->done());
  EXPECT_TRUE(p->counters().broken);
  EXPECT_EQ(rec.error_codes().begin()->first,
            "CONNECT_FAILED (connect: Connection refused)");
}
