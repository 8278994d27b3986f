#include "tests/actors/ai_link_fixture.hpp"

#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "protocol/ai_message.hpp"

namespace tryon::testing {

namespace {

using namespace tryon::actors;

caf::behavior recorder(caf::event_based_actor*,
                       std::shared_ptr<session_log> log) {
  return {
      [log](ai_ready_atom) { log->events.emplace_back("ready"); },
      [log](ai_failed_atom, protocol::error_code code, const std::string&) {
        log->events.push_back("failed " +
                              std::string{protocol::to_string(code)});
      },
      [log](ai_result_atom, const ai_result& r) {
        log->events.push_back("result " + std::to_string(r.sequence));
        log->results.push_back(r);
      },
      [log](ai_frame_err_atom, std::int64_t seq, protocol::error_code code,
            const std::string&) {
        log->events.push_back("frame_err " + std::to_string(seq) + " " +
                              std::string{protocol::to_string(code)});
      },
      [log](ai_down_atom) { log->events.emplace_back("down"); },
      [log](ai_bind_atom, ai_binding& b) {
        log->binding = std::move(b);
        ++log->binds;
      },
      [log](ai_lost_atom) {
        log->binding = {};
        log->events.emplace_back("lost");
      },
  };
}

/// Asks `link` once and stores the answer.
template <class Atom, class T>
caf::behavior asker(caf::event_based_actor* self, caf::actor link,
                    std::shared_ptr<T> out) {
  self->request(link, caf::infinite, Atom::value)
      .then([out](T& x) { *out = std::move(x); },
            [](caf::error&) { ADD_FAILURE() << "request failed"; });
  return {};
}

} // namespace

ai_link_fixture::ai_link_fixture() {
  sys_cfg.set("scheduler.policy", caf::atom("testing"));
  sys_cfg.set("logger.console", caf::atom("none"));
  sys = std::make_unique<caf::actor_system>(sys_cfg);
  cfg.url = "ws://ai.test:8002/ws/tryon";
  cfg.connections = 1;
  cfg.grace_period = std::chrono::milliseconds{1000};
  cfg.backoff_min = std::chrono::milliseconds{100};
  cfg.backoff_max = std::chrono::milliseconds{400};
}

ai_link_fixture::~ai_link_fixture() {
  if (link)
    caf::anon_send_exit(link, caf::exit_reason::user_shutdown);
  for (auto& p : peers)
    caf::anon_send_exit(p, caf::exit_reason::user_shutdown);
  run();
  link = nullptr;
  peers.clear();
  run();
}

caf::scheduler::test_coordinator& ai_link_fixture::sched() {
  return dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
}

void ai_link_fixture::start_link() {
  link = sys->spawn(make_ai_link, cfg, channels.factory());
  run();
}

void ai_link_fixture::advance(std::chrono::milliseconds d) {
  sched().advance_time(d);
  run();
}

std::pair<caf::actor, std::shared_ptr<session_log>>
ai_link_fixture::make_session() {
  auto log = std::make_shared<session_log>();
  auto peer = sys->spawn(recorder, log);
  peers.push_back(peer);
  logs.emplace_back(peer, log);
  return {peer, log};
}

void ai_link_fixture::open(const std::string& id, const caf::actor& peer,
                           std::optional<std::int64_t> post_id) {
  caf::anon_send(link, ai_open_atom::value, id,
                 std::string{"file:///designs/" + id + ".jpg"}, post_id, peer);
  for (auto& [p, log] : logs)
    if (p == peer)
      by_id[id] = log;
  run();
}

void ai_link_fixture::frame(const std::string& id, std::int64_t sequence) {
  auto msg = protocol::encode_ai_frame(id, sequence, 1, "jpeg", "\xFF\xD8img");
  auto& log = *by_id.at(id);
  if (!log.binding.channel || !log.binding.channel->send_binary(
                                  std::make_shared<const std::string>(msg)))
    log.events.push_back("refused " + std::to_string(sequence));
  run();
}

std::string ai_link_fixture::stats() {
  auto out = std::make_shared<std::string>();
  sys->spawn(asker<get_stats_atom, std::string>, link, out);
  run();
  return *out;
}

bool ai_link_fixture::ready_probe() {
  auto out = std::make_shared<bool>(false);
  sys->spawn(asker<ai_ready_q_atom, bool>, link, out);
  run();
  return *out;
}

std::pair<std::string, std::string> text_kind(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  return {j.at("type").get<std::string>(),
          j.at("session_id").get<std::string>()};
}

std::string processed(const std::string& session_id, std::int64_t sequence) {
  protocol::ai_processed_header h;
  h.session_id = session_id;
  h.sequence = sequence;
  h.confidence = 0.5;
  h.processing_time_ms = 3;
  h.format = "jpeg";
  return protocol::encode_ai_processed_frame(h, "\xFF\xD8out");
}

} // namespace tryon::testing
