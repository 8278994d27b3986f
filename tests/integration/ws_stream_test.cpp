// PROTOCOL.md section 3 streaming and backpressure, end to end: frames go
// client -> tryon-server -> tryon-ai -> tryon-server -> client.

#include <csignal>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "protocol/client_frame.hpp"
#include "protocol/server_message.hpp"
#include "stack_helpers.hpp"
#include "test_stack.hpp"

using nlohmann::json;
using namespace tryon::testing;

namespace {

struct delivered {
  std::vector<std::int64_t> sequences;
  std::int64_t dropped = 0;
  std::size_t images = 0;
  std::string log; ///< every text message, for failure messages
};

// Reads processed_frame + image pairs until `last` arrives or `timeout`.
delivered collect(ws_client& c, std::int64_t last,
                  std::chrono::milliseconds timeout) {
  delivered out;
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    auto m = c.read(std::chrono::milliseconds(5000));
    if (!m)
      break;
    if (m->binary) {
      out.images +=
          m->data.size() > 2 && m->data[0] == '\xff' && m->data[1] == '\xd8';
      if (!out.sequences.empty() && out.sequences.back() == last)
        break;
      continue;
    }
    auto j = json::parse(m->data);
    out.log += m->data + "\n";
    if (j["type"] == "processed_frame") {
      out.sequences.push_back(j["sequence"]);
      out.dropped += j["dropped_frames"].get<std::int64_t>();
    }
  }
  return out;
}

template <class Suite>
class StreamStack : public shared_stack_suite<Suite> {
protected:
  static test_stack::options with_ai(std::vector<std::string> ai_args) {
    test_stack::options o;
    o.ai_args = std::move(ai_args);
    o.server_env["TRYON_STATS_INTERVAL"] = "1";
    return o;
  }
  std::unique_ptr<ws_client> ready(test_stack& s, const test_user& u,
                                   const std::string& session) {
    auto c = std::make_unique<ws_client>(
        s.port(), "/ws/try-on/" + session + "/",
        std::vector<std::pair<std::string, std::string>>{u.auth()});
    c->send_text(R"({"type":"init_session"})");
    EXPECT_TRUE(c->read_type("session_ready", std::chrono::seconds(20)));
    return c;
  }
  // Three phones burst `frames` frames each at once; returns what each saw.
  std::vector<delivered> three_phones_burst(test_stack& s, int frames) {
    std::vector<std::unique_ptr<ws_client>> phones;
    for (int p = 0; p < 3; ++p) {
      auto u = s.make_user("p" + std::to_string(p));
      phones.push_back(ready(s, u, s.make_session(u)));
    }
    auto jpeg = make_test_jpeg(320, 240);
    for (int i = 1; i <= frames; ++i)
      for (auto& c : phones)
        c->send_binary(make_client_frame(i, jpeg));
    std::vector<delivered> out;
    for (auto& c : phones)
      out.push_back(collect(*c, frames, std::chrono::seconds(30)));
    return out;
  }
  static json session_stats(test_stack& s, const std::string& id) {
    return s.db().sessions.find_session(id)->stats;
  }
};

class FastAi : public StreamStack<FastAi> {
protected:
  static void SetUpTestSuite() { start_stack(with_ai({})); }
};

class SlowAi : public StreamStack<SlowAi> {
protected:
  static void SetUpTestSuite() { start_stack(with_ai({"--delay-ms", "80"})); }
};

// An AI service that answers long after the server's frame timeout.
class StuckAi : public StreamStack<StuckAi> {
protected:
  static void SetUpTestSuite() {
    auto o = with_ai({"--delay-ms", "1500"});
    o.server_env["TRYON_AI_FRAME_TIMEOUT_MS"] = "300";
    start_stack(o);
  }
};

// An AI service that takes one frame at a time and says so (AI credits):
// frames wait in the server, where newer ones replace them. One channel,
// so its capacity is the service's.
class CreditedAi : public StreamStack<CreditedAi> {
protected:
  static void SetUpTestSuite() {
    auto o = with_ai({"--delay-ms", "30", "--capacity", "1"});
    o.server_env["TRYON_AI_CONNECTIONS"] = "1";
    start_stack(o);
  }
};

// The same service, the server told to ignore what it says.
class CreditsOff : public StreamStack<CreditsOff> {
protected:
  static void SetUpTestSuite() {
    auto o = with_ai({"--delay-ms", "30", "--capacity", "1"});
    o.server_env["TRYON_AI_CONNECTIONS"] = "1";
    o.server_env["TRYON_AI_CREDITS"] = "0";
    start_stack(o);
  }
};

// `tryon_ai_frames_held_peak` of the stack's AI service (-1: not found).
int ai_frames_held_peak(test_stack& s) {
  auto r = http_call(s.ai_port(), "GET", "/metrics");
  std::smatch m;
  if (r.status != 200 ||
      !std::regex_search(r.body, m,
                         std::regex{R"(\ntryon_ai_frames_held_peak (\d+))"}))
    return -1;
  return std::stoi(m[1]);
}

} // namespace

TEST_F(FastAi, FrameRoundTripReturnsARenderedJpeg) {
  auto u = stack_->make_user("u");
  auto session = stack_->make_session(u);
  auto c = ready(*stack_, u, session);
  c->send_binary(make_client_frame(42, make_test_jpeg(320, 240)));
  auto meta = c->read_type("processed_frame");
  ASSERT_TRUE(meta);
  auto j = json::parse(*meta);
  EXPECT_EQ(j["sequence"], 42);
  EXPECT_EQ(j["format"], "jpeg");
  EXPECT_EQ(j["dropped_frames"], 0);
  for (auto* f : {"timestamp", "processing_time_ms", "confidence"})
    EXPECT_TRUE(j.contains(f)) << f;
  auto image = c->read();
  ASSERT_TRUE(image && image->binary);
  EXPECT_EQ(image->data.substr(0, 2), "\xff\xd8");
}

TEST_F(FastAi, PausedFramesAreNotProcessedAndResumeRestarts) {
  auto u = stack_->make_user("u");
  auto session = stack_->make_session(u);
  auto c = ready(*stack_, u, session);
  c->send_text(R"({"type":"control","action":"pause"})");
  c->send_binary(make_client_frame(1, make_test_jpeg()));
  c->send_text(R"({"type":"ping","timestamp":1})");
  auto next = c->read();
  ASSERT_TRUE(next);
  EXPECT_EQ(json::parse(next->data)["type"], "pong") << next->data;
  // The persister writes the status row after the actor answered: poll.
  std::string status;
  for (int i = 0; i < 50; ++i) {
    status = stack_->db().sessions.find_session(session)->status;
    if (status == "paused")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(status, "paused");
  c->send_text(R"({"type":"control","action":"resume"})");
  c->send_binary(make_client_frame(2, make_test_jpeg()));
  auto meta = c->read_type("processed_frame");
  ASSERT_TRUE(meta);
  EXPECT_EQ(json::parse(*meta)["sequence"], 2);
}

TEST_F(FastAi, CleanCloseCompletesTheSessionWithStats) {
  auto u = stack_->make_user("u");
  auto session = stack_->make_session(u);
  {
    auto c = ready(*stack_, u, session);
    for (int i = 1; i <= 3; ++i) {
      c->send_binary(make_client_frame(i, make_test_jpeg()));
      ASSERT_TRUE(c->read_type("processed_frame"));
    }
    c->close();
  }
  tryon::persistence::session_record rec;
  for (int i = 0; i < 50; ++i) {
    rec = *stack_->db().sessions.find_session(session);
    if (rec.status == "completed" &&
        rec.stats.value("frames_processed", 0) == 3)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(rec.status, "completed");
  EXPECT_EQ(rec.stats["frames_received"], 3);
  EXPECT_EQ(rec.stats["frames_processed"], 3);
  EXPECT_EQ(rec.stats["frames_dropped"], 0);
  for (auto* f : {"errors", "processing_ms_mean", "processing_ms_p95"})
    EXPECT_TRUE(rec.stats.contains(f)) << f;
}

TEST_F(FastAi, AiRestartMidStreamRecovers) {
  auto u = stack_->make_user("u");
  auto session = stack_->make_session(u);
  auto c = ready(*stack_, u, session);
  c->send_binary(make_client_frame(1, make_test_jpeg()));
  ASSERT_TRUE(c->read_type("processed_frame"));
  stack_->kill_ai();
  ASSERT_TRUE(stack_->start_ai());
  // Within the grace period the link reconnects and re-inits the session.
  // Frames sent meanwhile are dropped silently, so each probe is a frame
  // followed by a ping: the pong marks the end of what that frame produced.
  bool recovered = false;
  for (int seq = 2; seq < 60 && !recovered; ++seq) {
    c->send_binary(make_client_frame(seq, make_test_jpeg()));
    c->send_text(R"({"type":"ping","timestamp":0})");
    for (auto m = c->read(); m; m = c->read()) {
      if (m->binary)
        continue;
      auto type = json::parse(m->data)["type"];
      recovered = recovered || type == "processed_frame";
      if (type == "pong")
        break;
    }
    if (!recovered)
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(recovered);
}

TEST_F(SlowAi, BurstDeliversIncreasingSequencesAndCountsDrops) {
  auto u = stack_->make_user("u");
  auto session = stack_->make_session(u);
  auto c = ready(*stack_, u, session);
  const int frames = 40;
  auto jpeg = make_test_jpeg(320, 240);
  for (int i = 1; i <= frames; ++i)
    c->send_binary(make_client_frame(i, jpeg));
  auto got = collect(*c, frames, std::chrono::seconds(30));
  ASSERT_FALSE(got.sequences.empty());
  for (std::size_t i = 1; i < got.sequences.size(); ++i)
    EXPECT_LT(got.sequences[i - 1], got.sequences[i]);
  EXPECT_EQ(got.sequences.back(), frames) << "the newest frame must arrive\n"
                                          << got.log;
  EXPECT_LT(got.sequences.size(), static_cast<std::size_t>(frames))
      << "a slow AI must cause drops";
  EXPECT_EQ(static_cast<std::int64_t>(got.sequences.size()) + got.dropped,
            frames)
      << "processed + dropped = accepted";
  EXPECT_EQ(got.images, got.sequences.size());
  // It did not ask for stream hints: it gets none, however slow the AI.
  EXPECT_EQ(got.log.find("stream_hint"), std::string::npos) << got.log;
}

TEST_F(SlowAi, APhoneThatAskedForHintsIsToldItsShareOfTheAi) {
  auto u = stack_->make_user("h");
  auto session = stack_->make_session(u);
  ws_client c(stack_->port(), "/ws/try-on/" + session + "/",
              std::vector<std::pair<std::string, std::string>>{u.auth()});
  c.send_text(R"({"type":"init_session","capabilities":["stream_hints"]})");
  ASSERT_TRUE(c.read_type("session_ready", std::chrono::seconds(20)));
  // Bursts of 25 frames (capture time: now) at an AI that takes 80 ms a
  // frame: most are dropped as stale, so the phone sends more than its
  // share. The hint comes once a one-second window has closed.
  auto jpeg = make_test_jpeg(320, 240);
  std::string log;
  std::int64_t seq = 0;
  for (int burst = 0;
       burst < 10 && log.find("stream_hint") == std::string::npos; ++burst) {
    for (int i = 0; i < 25; ++i) {
      tryon::protocol::client_frame_header h;
      h.sequence = ++seq;
      h.timestamp = tryon::protocol::now_ms();
      h.format = "jpeg";
      c.send_binary(tryon::protocol::encode_client_frame(h, jpeg));
    }
    log += collect(c, seq, std::chrono::seconds(10)).log;
  }
  json hint;
  std::istringstream lines{log};
  for (std::string line; std::getline(lines, line);)
    if (line.find(R"("type":"stream_hint")") != std::string::npos) {
      hint = json::parse(line);
      break;
    }
  ASSERT_TRUE(hint.is_object()) << log;
  EXPECT_EQ(hint["reason"], "ai") << hint.dump();
  EXPECT_LT(hint["fps"].get<int>(), 25) << hint.dump();
  EXPECT_GE(hint["fps"].get<int>(), 1) << hint.dump();
  EXPECT_EQ(hint["jpeg_quality"], 80) << hint.dump();
  EXPECT_EQ(hint["max_width"], 1280) << hint.dump();
}

TEST_F(StuckAi, UnansweredFrameTimesOutAndItsLateAnswerIsDropped) {
  auto u = stack_->make_user("u");
  auto session = stack_->make_session(u);
  auto c = ready(*stack_, u, session);
  auto jpeg = make_test_jpeg(160, 120);
  auto sent = std::chrono::steady_clock::now();
  c->send_binary(make_client_frame(1, jpeg));
  auto err = c->read_type("error", std::chrono::seconds(5));
  ASSERT_TRUE(err) << "no error for a frame the AI never answered in time";
  auto waited = std::chrono::steady_clock::now() - sent;
  auto j = json::parse(*err);
  EXPECT_EQ(j["code"], "FRAME_PROCESSING_FAILED");
  EXPECT_NE(j["message"].get<std::string>().find("frame 1"), std::string::npos)
      << j.dump();
  EXPECT_EQ(j["recoverable"], true);
  // Timed out by the server, not answered by the AI (1.5 s).
  EXPECT_LT(waited, std::chrono::milliseconds(1400));

  // The second frame times out too; the late answers (1.5 s) of both are
  // not delivered: neither is in flight any more.
  c->send_binary(make_client_frame(2, jpeg));
  auto err2 = c->read_type("error", std::chrono::seconds(5));
  ASSERT_TRUE(err2);
  EXPECT_NE(json::parse(*err2)["message"].get<std::string>().find("frame 2"),
            std::string::npos);
  // Wait past both late answers (1.5 s after each frame), then ping: the
  // pong comes after anything the server sent meanwhile, so reading up to
  // it shows every message (no read timeout: a cancelled read would break
  // the client's stream).
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  c->send_text(R"({"type":"ping","timestamp":7})");
  std::optional<json> pong;
  while (!pong) {
    auto m = c->read(std::chrono::seconds(10));
    ASSERT_TRUE(m) << "no pong: the connection is not usable";
    ASSERT_FALSE(m->binary) << "a late answer reached the client";
    auto j = json::parse(m->data);
    EXPECT_NE(j["type"], "processed_frame") << m->data;
    if (j["type"] == "pong")
      pong = j;
  }
  EXPECT_EQ((*pong)["timestamp"], 7);
  c->close();
  ASSERT_TRUE(eventually(
      [&] {
        return stack_->db().sessions.find_session(session)->status ==
               "completed";
      },
      std::chrono::seconds(10)));
  auto stats = session_stats(*stack_, session);
  EXPECT_EQ(stats["frames_processed"], 0) << stats.dump();
  EXPECT_EQ(stats["frames_dropped"], 2) << stats.dump();
  EXPECT_EQ(stats["errors_by_code"]["FRAME_PROCESSING_FAILED"], 2)
      << stats.dump();
}

TEST_F(CreditedAi, PhonesShareTheAiSlotAndEveryFrameIsAccountedFor) {
  const int frames = 20;
  auto seen = three_phones_burst(*stack_, frames);
  for (const auto& got : seen) {
    ASSERT_FALSE(got.sequences.empty()) << got.log;
    for (std::size_t i = 1; i < got.sequences.size(); ++i)
      EXPECT_LT(got.sequences[i - 1], got.sequences[i]);
    // The newest frame of each phone got through: it waited at home.
    EXPECT_EQ(got.sequences.back(), frames) << got.log;
    EXPECT_EQ(static_cast<std::int64_t>(got.sequences.size()) + got.dropped,
              frames)
        << "processed + dropped = accepted\n"
        << got.log;
  }
  // The AI service never held more than it said it takes.
  EXPECT_EQ(ai_frames_held_peak(*stack_), 1);
  // The server heard the capacity and phones waited for the slot.
  // (The figures are published periodically: wait for the settled ones.)
  auto staff = stack_->make_user("staff", true);
  json channel;
  EXPECT_TRUE(eventually(
      [&] {
        auto st = get_json(*stack_, "/api/try-on/stats/", &staff);
        channel = st["ai_link"]["channels"][0];
        return channel.is_object() && channel["in_flight"] == 0 &&
               channel["waiting"] == 0;
      },
      std::chrono::seconds(10)))
      << channel.dump();
  EXPECT_EQ(channel["capacity"], 1) << channel.dump();
  EXPECT_GT(channel.value("credit_waits", 0), 0) << channel.dump();
}

TEST_F(CreditsOff, EachPhoneKeepsItsOwnFrameInFlight) {
  auto seen = three_phones_burst(*stack_, 10);
  for (const auto& got : seen) {
    ASSERT_FALSE(got.sequences.empty()) << got.log;
    EXPECT_EQ(static_cast<std::int64_t>(got.sequences.size()) + got.dropped, 10)
        << got.log;
  }
  // Three phones, one frame in flight each: the AI held them together.
  EXPECT_GT(ai_frames_held_peak(*stack_), 1);
}
