#include "actors/ai_channel_events.hpp"

#include <utility>
#include <variant>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "protocol/ai_message.hpp"

namespace tryon::actors {

namespace {

/// Sends to the link from a transport thread, if the link still exists.
template <class... Ts>
void tell(const caf::actor_addr& link, Ts&&... xs) {
  if (auto handle = caf::actor_cast<caf::actor>(link))
    caf::anon_send(handle, std::forward<Ts>(xs)...);
}

} // namespace

ai_events make_events(const caf::actor_addr& link, std::size_t i,
                      std::shared_ptr<ai_routes> routes) {
  ai_events ev;
  ev.on_open = [link, i] { tell(link, chan_open_atom::value, i); };
  ev.on_text = [link, i](std::string text) {
    tell(link, chan_text_atom::value, i, std::move(text));
  };
  ev.on_binary = [routes = std::move(routes)](shared_bytes msg) {
    route_ai_reply(*routes, std::move(msg));
  };
  ev.on_down = [link, i](std::string reason) {
    tell(link, chan_down_atom::value, i, std::move(reason));
  };
  return ev;
}

void route_ai_reply(ai_routes& routes, shared_bytes message) {
  if (!message)
    return;
  auto parsed = protocol::decode_ai_processed_frame(*message);
  if (auto* err = std::get_if<protocol::parse_error>(&parsed)) {
    ++routes.counters.bad_messages;
    spdlog::warn("ai_link: bad frame from the AI service: {}", err->message);
    return;
  }
  auto& header = std::get<protocol::ai_processed_header>(parsed);
  auto session = routes.find(header.session_id);
  if (!session) {
    ++routes.counters.unknown_session;
    return;
  }
  ++routes.counters.results;
  ai_result result;
  result.sequence = header.sequence;
  result.confidence = header.confidence;
  result.processing_time_ms = header.processing_time_ms;
  result.format = std::move(header.format);
  result.message = std::move(message);
  caf::anon_send(session, ai_result_atom::value, std::move(result));
}

} // namespace tryon::actors
