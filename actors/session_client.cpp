// The session actor's steps for what its client sends: frames checked,
// rewritten for the AI and handed to the pipeline.

#include <cstring>

#include "actors/session_actor.hpp"
#include "protocol/frame_header.hpp"
#include "protocol/server_message.hpp"

namespace tryon::actors {

using protocol::error_code;

void session_state::on_frames(
    std::string& message, const std::function<void(std::string&)>& on_frame) {
  // The newest frame of a burst the transport kept aside (ports.hpp).
  std::optional<std::string> newest;
  if (counters)
    newest = counters->taken();
  if (!stats_timer_armed) {
    stats_timer_armed = true;
    self_->delayed_send(self_, env.stats_interval, stats_tick_atom::value);
  }
  fold_in_shed();
  on_frame(message);
  if (newest) {
    fold_in_shed();
    on_frame(*newest);
  }
  maybe_hint();
  publish_counts();
}

void session_state::take_capabilities(const protocol::init_session_msg& m) {
  if (m.stream_hints && !hinter) {
    hinter_config cfg;
    cfg.target_fps = env.stream.target_fps;
    hinter.emplace(std::move(cfg));
  }
}

void session_state::maybe_hint() {
  if (!hinter)
    return;
  auto h = hinter->tick(protocol::now_ms(), pipeline.accepted(),
                        pipeline.delivered(), pipeline.dropped());
  if (h)
    send_hint(*h);
}

void session_state::send_hint(const stream_hinter::hint& h) {
  stats.stream_hints++;
  if (peer)
    peer->send_text(
        protocol::stream_hint(h.suggestion, h.reason, protocol::now_ms()));
}

void session_state::fold_in_shed() {
  if (!counters)
    return;
  auto shed = counters->shed.load();
  if (shed > shed_seen) {
    stats.frames_received += shed - shed_seen;
    pipeline.on_shed(shed - shed_seen);
    shed_seen = shed;
  }
}

void session_state::reject_frame() {
  stats.frames_rejected++;
  not_initialized("frames");
}

void session_state::not_initialized(const char* before) {
  send_error(error_code::not_initialized,
             std::string{"Send init_session before "} + before);
}

std::optional<protocol::client_frame_header>
session_state::accept_frame(const std::string& message) {
  auto header = protocol::decode_client_frame(message, env.max_frame_size);
  if (auto* err = std::get_if<protocol::parse_error>(&header)) {
    stats.frames_rejected++;
    send_error(err->code, err->message);
    return std::nullopt;
  }
  stats.frames_received++;
  auto& h = std::get<protocol::client_frame_header>(header);
  if (hinter)
    hinter->on_frame(protocol::now_ms(), h.timestamp);
  return std::move(h);
}

void session_state::forward_frame(std::string& message,
                                  const protocol::client_frame_header& h) {
  // Rewrite the 1024-byte header in place: the image bytes are never copied.
  auto ai_header = protocol::encode_header_block(
      {{"session_id", info.id},
       {"sequence", h.sequence},
       {"timestamp", h.timestamp.value_or(protocol::now_ms())},
       {"format", h.format}});
  if (!ai_header)
    return send_error(error_code::invalid_frame_header, "Header too long");
  std::memcpy(message.data(), ai_header->data(), protocol::frame_header_size);
  pending_frame f{std::make_shared<const std::string>(std::move(message)),
                  clock::now(),
                  {}};
  pipeline.on_frame(h.sequence, std::move(f), false);
  pump();
}

void session_state::send_session_ready() {
  if (peer)
    peer->send_text(protocol::session_ready(info.id, info.nail_reference_url,
                                            info.mode, env.stream,
                                            protocol::now_ms()));
}

} // namespace tryon::actors
