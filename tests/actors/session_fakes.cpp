#include "tests/actors/session_fakes.hpp"

#include <utility>
#include <variant>

#include "protocol/ai_message.hpp"

namespace tryon::testing {

using namespace tryon::actors;

std::vector<std::int64_t> recording_ai_channel::sequences() const {
  std::vector<std::int64_t> out;
  for (const auto& f : frames.snapshot()) {
    auto h = protocol::decode_ai_frame_request(*f);
    auto* header = std::get_if<protocol::ai_frame_request_header>(&h);
    out.push_back(header ? header->sequence : -1);
  }
  return out;
}

caf::behavior fake_ai_link(caf::event_based_actor* self,
                           std::shared_ptr<fake_link_script> script) {
  return {
      [=](ai_open_atom, const std::string& id, const std::string&,
          const std::optional<std::int64_t>&, const caf::actor& session) {
        script->opens.push(id);
        auto bind = [&] {
          script->routes->set(id, session);
          self->send(
              session, ai_bind_atom::value,
              ai_binding{script->channel, script->routes, script->credits});
        };
        switch (script->next()) {
        case open_reply::ready:
          bind();
          self->send(session, ai_ready_atom::value);
          break;
        case open_reply::init_failed:
          self->send(session, ai_failed_atom::value,
                     protocol::error_code::init_failed,
                     std::string{"could not load the design"});
          break;
        case open_reply::unavailable:
          self->send(session, ai_failed_atom::value,
                     protocol::error_code::ai_service_unavailable,
                     std::string{"AI service unavailable"});
          break;
        case open_reply::bind_only:
          bind();
          break;
        }
      },
      [=](ai_close_atom, const std::string& id) {
        script->routes->erase(id);
        script->closes.push(id);
      },
      [=](ai_forget_atom, const std::string& id) {
        script->routes->erase(id);
        script->forgets.push(id);
      },
  };
}

std::string rendered_image(std::int64_t sequence) {
  return "\xFF\xD8\xFF" + std::string{"out-"} + std::to_string(sequence);
}

std::string processed_reply(const std::string& message) {
  auto parsed = protocol::decode_ai_frame_request(message);
  const auto& req = std::get<protocol::ai_frame_request_header>(parsed);
  protocol::ai_processed_header h;
  h.session_id = req.session_id;
  h.sequence = req.sequence;
  h.confidence = 0.75;
  h.processing_time_ms = 4;
  h.format = "jpeg";
  return protocol::encode_ai_processed_frame(h, rendered_image(req.sequence));
}

caf::behavior fake_persister(caf::event_based_actor*,
                             std::shared_ptr<waitable_log<persisted>> log) {
  return {
      [=](p_status_atom, std::string& id, std::string& status) {
        log->push({std::move(id), "status", std::move(status)});
      },
      [=](p_stats_atom, std::string& id, std::string& stats) {
        log->push({std::move(id), "stats", std::move(stats)});
      },
  };
}

std::vector<std::string> statuses(const waitable_log<persisted>& log,
                                  const std::string& session_id) {
  std::vector<std::string> out;
  for (auto& p : log.snapshot())
    if (p.kind == "status" && p.session_id == session_id)
      out.push_back(p.value);
  return out;
}

caf::behavior fake_capture(caf::event_based_actor* self,
                           std::shared_ptr<fake_capture_script> script) {
  // Held answers: (session, sequence); touched by this actor only.
  auto held =
      std::make_shared<std::vector<std::pair<caf::actor, std::int64_t>>>();
  auto ok = [=](const caf::actor& session, std::int64_t seq) {
    self->send(session, capture_ok_atom::value, script->next_id++, seq);
  };
  return {
      [=](capture_req_atom, const std::string& id, std::int64_t user_id,
          const std::optional<std::int64_t>& post_id, const ai_result& r,
          const caf::actor& session) {
        script->calls.push({id, user_id, post_id, r.sequence,
                            r.message->substr(protocol::frame_header_size)});
        switch (script->mode.load()) {
        case capture_reply::ok:
          ok(session, r.sequence);
          break;
        case capture_reply::fail:
          self->send(session, capture_fail_atom::value,
                     std::string{"disk full"}, r.sequence);
          break;
        case capture_reply::hold:
          held->emplace_back(session, r.sequence);
          break;
        }
      },
      [=](release_atom) {
        for (auto& [session, seq] : *held)
          ok(session, seq);
        held->clear();
      },
  };
}

} // namespace tryon::testing
