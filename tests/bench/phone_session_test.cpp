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
  // Writes complete at once; the peer acknowledges what the test says.
  void send_text(std::string t) override {
    sent.push_back({false, t});
    if (ev.on_written)
      ev.on_written(false, t.size());
  }
  void send_binary(shared_bytes h, shared_bytes b) override {
    sent.push_back({true, *h + *b});
    if (ev.on_written)
      ev.on_written(true, h->size() + b->size());
  }
  std::size_t backlog() const override { return busy; }
  std::uint64_t bytes_acked() const override { return acked; }
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
  std::uint64_t acked = 0;
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
  link->ev.on_closed("closed by peer (1000)", 1000);
  EXPECT_TRUE(p->done());
  EXPECT_FALSE(c.broken);
  EXPECT_TRUE(rec.error_codes().empty());
}

TEST_F(PhoneSessionTest, UploadCountsWrittenFramesAndAckedBytesInTheWindow) {
  auto p = make({});
  open(*p);
  link->ev.on_message(
      false, tryon::protocol::session_ready("s1", "u", "explore", {}, 1));
  link->acked = 300; // the upgrade request and init_session
  p->begin(bench_clock::now(), bench_clock::now() + 1h);
  link->run_posted();
  ASSERT_TRUE(link->timers.count(2)); // the look at the window's end
  ASSERT_TRUE(link->fire(0));         // frame 1, written at once
  const auto frame = link->sent.back().second.size();
  const auto& c = p->counters();
  EXPECT_EQ(c.bytes_out, frame);
  EXPECT_EQ(c.bytes_acked, 300u);
  link->acked = 300 + frame / 2; // half of it is up the link
  link->busy = 1;
  ASSERT_TRUE(link->fire(0)); // skipped: nothing written, no look
  EXPECT_EQ(c.bytes_acked, 300u);
  link->busy = 0;
  ASSERT_TRUE(link->fire(2)); // the window ends: the rest counts
  EXPECT_EQ(c.bytes_acked, 300u + frame / 2);
  // After the window: written and acked bytes are not counted.
  rec.set_window(bench_clock::now() - 2h, bench_clock::now() - 1h);
  link->acked = 300 + frame;
  ASSERT_TRUE(link->fire(0)); // frame 2
  EXPECT_EQ(c.bytes_out, frame);
  EXPECT_EQ(c.bytes_acked, 300u + frame / 2);
  EXPECT_EQ(c.sent, 1u);
  EXPECT_EQ(c.sent_total, 2u);
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
  link->ev.on_closed("closed", 1000);
  EXPECT_TRUE(p->done());
}

TEST_F(PhoneSessionTest, ConnectFailureIsRecorded) {
  auto p = make({});
  p->connect_at(bench_clock::now());
  link->run_posted();
  link->fire(3);
  link->ev.on_closed("connect: Connection refused", 0);
  EXPECT_TRUE(p->done());
  EXPECT_TRUE(p->counters().broken);
  EXPECT_EQ(rec.error_codes().begin()->first,
            "CONNECT_FAILED (connect: Connection refused)");
}

namespace {

// Reconnect mode: every link the phone makes, the first one included.
struct link_stock {
  std::vector<std::shared_ptr<fake_link>> links;
  link_factory factory() {
    return [this] {
      links.push_back(std::make_shared<fake_link>());
      return links.back();
    };
  }
};

void ready(fake_link& l) {
  l.ev.on_message(false,
                  tryon::protocol::session_ready("s1", "u", "explore", {}, 1));
}

} // namespace

TEST_F(PhoneSessionTest, ReconnectsAfterDrainCloseAndResumesStreaming) {
  phone_config cfg;
  cfg.frames = &frames;
  cfg.reconnect = true;
  cfg.reconnect_within = 10000ms;
  link_stock stock;
  auto first = std::make_shared<fake_link>();
  phone_session p{"s1", first, make_server_dialect(),
                  cfg,  rec,   stock.factory()};
  link = first;
  open(p);
  ready(*first);
  p.begin(bench_clock::now(), bench_clock::now() + 1h);
  first->run_posted();
  ASSERT_TRUE(first->fire(0)); // frame 1
  // The node drains: 1012. A new link to the same URL is scheduled.
  first->ev.on_closed("closed by peer (1012)", 1012);
  EXPECT_FALSE(p.done());
  ASSERT_EQ(stock.links.size(), 1u);
  auto& second = *stock.links[0];
  second.run_posted();
  ASSERT_TRUE(second.fire(3));
  ASSERT_TRUE(second.started);
  second.ev.on_open();
  ASSERT_EQ(second.sent.size(), 1u); // the same session re-inits
  EXPECT_EQ(second.sent[0].second, R"({"type":"init_session"})");
  EXPECT_FALSE(p.counters().ready);
  ready(second);
  EXPECT_TRUE(p.counters().ready);
  EXPECT_EQ(rec.reconnect_ready().count(), 1u);
  EXPECT_EQ(rec.error_codes().at("RECONNECT (closed by peer (1012))"), 1u);
  // Streaming goes on over the new link.
  ASSERT_TRUE(second.fire(0));
  ASSERT_EQ(second.sent.size(), 2u);
  EXPECT_TRUE(second.sent[1].first);
  const auto seq = p.counters().sent_total.load();
  second.ev.on_message(
      false, tryon::protocol::processed_frame(static_cast<std::int64_t>(seq), 1,
                                              1.0, 0.5, "jpeg", 0));
  second.ev.on_message(true, "\xff\xd8 processed");
  EXPECT_EQ(rec.reconnect_frame().count(), 1u);
  const auto& c = p.counters();
  EXPECT_EQ(c.outages, 1u);
  EXPECT_EQ(c.recovered, 1u);
  EXPECT_EQ(c.lost, 0u);
  EXPECT_FALSE(c.broken);
  p.finish();
  second.run_posted();
  second.ev.on_closed("closed (1000)", 0);
  EXPECT_TRUE(p.done()); // closing at the end is not an outage
  EXPECT_EQ(stock.links.size(), 1u);
}

TEST_F(PhoneSessionTest, RetriesRefusedReconnectsThenCountsTheLoss) {
  phone_config cfg;
  cfg.frames = &frames;
  cfg.reconnect = true;
  cfg.reconnect_within = 500ms;
  link_stock stock;
  auto first = std::make_shared<fake_link>();
  phone_session p{"s1", first, make_server_dialect(),
                  cfg,  rec,   stock.factory()};
  link = first;
  open(p);
  ready(*first);
  first->ev.on_closed("read: end of stream", 0); // killed node: no close
  for (std::size_t i = 0; i < 20 && !p.done(); ++i) {
    ASSERT_EQ(stock.links.size(), i + 1);
    auto& l = *stock.links[i];
    l.run_posted();
    ASSERT_TRUE(l.fire(3));
    l.ev.on_closed("connect: Connection refused", 0);
  }
  EXPECT_TRUE(p.done());
  const auto& c = p.counters();
  EXPECT_EQ(c.outages, 1u);
  EXPECT_EQ(c.recovered, 0u);
  EXPECT_EQ(c.lost, 1u);
  EXPECT_TRUE(c.broken);
  // Backoffs 50, 100, 200, 400 ms fit in the 500 ms bound, 800 does not:
  // at most 5 links, fewer if the clock moved on between the attempts.
  EXPECT_GE(stock.links.size(), 1u);
  EXPECT_LE(stock.links.size(), 5u);
}

TEST_F(PhoneSessionTest, WithoutReconnectModeACloseEndsThePhone) {
  link_stock stock;
  phone_config cfg;
  cfg.frames = &frames;
  auto first = std::make_shared<fake_link>();
  phone_session p{"s1", first, make_server_dialect(),
                  cfg,  rec,   stock.factory()};
  link = first;
  open(p);
  ready(*first);
  first->ev.on_closed("closed by peer (4009)", 4009);
  EXPECT_TRUE(p.done());
  EXPECT_TRUE(p.counters().broken);
  EXPECT_TRUE(stock.links.empty());
}

TEST_F(PhoneSessionTest, FinishWhileReconnectingCountsTheOutageAsLost) {
  phone_config cfg;
  cfg.frames = &frames;
  cfg.reconnect = true;
  link_stock stock;
  auto first = std::make_shared<fake_link>();
  phone_session p{"s1", first, make_server_dialect(),
                  cfg,  rec,   stock.factory()};
  link = first;
  open(p);
  ready(*first);
  // finish() posts to the link about to close; the close starts a reconnect.
  p.finish();
  first->ev.on_closed("closed by peer (4009)", 4009);
  first->run_posted(); // dropped by a real closed link: must not matter
  ASSERT_EQ(stock.links.size(), 1u);
  auto& second = *stock.links[0];
  second.run_posted(); // schedules the start, then runs the finish
  EXPECT_TRUE(p.done());
  EXPECT_TRUE(second.closed);
  EXPECT_EQ(p.counters().lost, 1u);
  EXPECT_EQ(rec.error_codes().at("RECONNECT_UNFINISHED"), 1u);
}

namespace {

std::string hint_message(int fps, int quality, int width, const char* reason) {
  return nlohmann::json{{"type", "stream_hint"},   {"fps", fps},
                        {"jpeg_quality", quality}, {"max_width", width},
                        {"reason", reason},        {"timestamp", 1764711965123}}
      .dump();
}

// The header block of a sent frame.
nlohmann::json frame_header(const std::string& msg) {
  return nlohmann::json::parse(std::string{msg.c_str()}); // NUL-padded
}

} // namespace

TEST_F(PhoneSessionTest, FollowsStreamHintsFromTheNextFrame) {
  frame_library lib{frames};
  phone_config cfg;
  cfg.jitter = 0;
  cfg.stream_hints = true;
  cfg.library = &lib;
  cfg.frames = &frames;
  link = std::make_shared<fake_link>();
  phone_session p{"s1", link, make_server_dialect(true), cfg, rec};
  open(p);
  EXPECT_NE(link->sent[0].second.find("stream_hints"), std::string::npos);
  ready(*link);
  const auto t0 = bench_clock::now();
  p.begin(t0, t0 + 1h);
  link->run_posted();
  ASSERT_TRUE(link->fire(0)); // frame 1 at 25 fps, full size
  const auto full = link->sent.back().second.size();
  EXPECT_EQ(frame_header(link->sent.back().second)["width"], 640);
  EXPECT_EQ(frame_header(link->sent.back().second)["timestamp"].is_number(),
            true);
  const auto due2 = link->timers.at(0).first;
  // The uplink is short: 5 fps, quality 50, 320 wide.
  link->ev.on_message(false, hint_message(5, 50, 320, "uplink"));
  EXPECT_EQ(p.counters().hints, 1u);
  EXPECT_EQ(rec.hints().last->max_width, 320);
  lib.get({50, 320});         // wait until the set is made
  ASSERT_TRUE(link->fire(0)); // frame 2: due at the old rate, new frames
  const auto& small = link->sent.back().second;
  EXPECT_EQ(frame_header(small)["width"], 320);
  EXPECT_EQ(frame_header(small)["height"], 240);
  EXPECT_LT(small.size(), full / 2);
  // ...and from there one frame every 200 ms.
  EXPECT_EQ(link->timers.at(0).first - due2, 200ms);
  // "clear": back to 25 fps and the frames made at start.
  link->ev.on_message(false, hint_message(25, 90, 1280, "clear"));
  const auto due3 = link->timers.at(0).first;
  ASSERT_TRUE(link->fire(0));
  EXPECT_EQ(link->sent.back().second.size(), full);
  EXPECT_EQ(link->timers.at(0).first - due3, 40ms);
  EXPECT_EQ(rec.hints().received, 2u);
  EXPECT_EQ(rec.hints().by_reason.at("uplink"), 1u);
  EXPECT_EQ(rec.hints().last->reason, "clear");
}

TEST_F(PhoneSessionTest, WithoutTheFlagHintsAreCountedNotFollowed) {
  frame_library lib{frames};
  phone_config cfg;
  cfg.jitter = 0;
  cfg.library = &lib; // present, but stream_hints is off
  auto p = make(cfg);
  open(*p);
  EXPECT_EQ(link->sent[0].second, R"({"type":"init_session"})");
  ready(*link);
  p->begin(bench_clock::now(), bench_clock::now() + 1h);
  link->run_posted();
  ASSERT_TRUE(link->fire(0));
  const auto full = link->sent.back().second.size();
  const auto due2 = link->timers.at(0).first;
  link->ev.on_message(false, hint_message(5, 50, 320, "uplink"));
  EXPECT_EQ(p->counters().hints, 1u);
  ASSERT_TRUE(link->fire(0));
  EXPECT_EQ(link->sent.back().second.size(), full);
  EXPECT_EQ(link->timers.at(0).first - due2, 40ms);
  EXPECT_EQ(lib.made(), 0u);
}
