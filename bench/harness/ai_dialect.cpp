#include "bench/harness/dialect.hpp"

#include "protocol/ai_message.hpp"
#include "protocol/frame_header.hpp"

#include <type_traits>

namespace tryon::bench {

namespace {

// PROTOCOL.md §4, as tryon-server speaks it to the AI service: every
// message names the session; processed frames carry their own header.
class ai_dialect : public dialect {
public:
  ai_dialect(std::string session_id, std::string design_url)
    : id_(std::move(session_id)), design_url_(std::move(design_url)) {}

  std::string init_message() const override {
    return protocol::ai_init_session(id_, design_url_, std::nullopt);
  }

  frame_message encode_frame(std::int64_t sequence, std::int64_t timestamp_ms,
                             const frame_image& image) const override {
    nlohmann::json h{{"session_id", id_},
                     {"sequence", sequence},
                     {"timestamp", timestamp_ms},
                     {"format", "jpeg"}};
    auto block = protocol::encode_header_block(h);
    return {std::make_shared<const std::string>(block.value_or(std::string{})),
            image.jpeg};
  }

  peer_event on_message(bool binary, std::string_view data) override {
    peer_event ev;
    if (binary) {
      auto r = protocol::decode_ai_processed_frame(data);
      if (auto* h = std::get_if<protocol::ai_processed_header>(&r)) {
        ev.what = peer_event::kind::processed;
        ev.sequence = h->sequence;
        ev.processing_ms = h->processing_time_ms;
        ev.confidence = h->confidence;
      } else {
        ev.what = peer_event::kind::error;
        ev.code = "BAD_AI_FRAME";
      }
      return ev;
    }
    auto r = protocol::parse_ai_event(data);
    auto* e = std::get_if<protocol::ai_event>(&r);
    if (e == nullptr) {
      ev.what = peer_event::kind::error;
      ev.code = "BAD_AI_MESSAGE";
      return ev;
    }
    std::visit(
        [&](const auto& m) {
          using T = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<T, protocol::ai_session_initialized>) {
            ev.what = peer_event::kind::ready;
          } else if constexpr (std::is_same_v<T, protocol::ai_session_error>) {
            ev.what = peer_event::kind::error;
            ev.code = m.code.empty() ? "INIT_FAILED" : m.code;
          } else if constexpr (std::is_same_v<T, protocol::ai_capacity>) {
            ev.what = peer_event::kind::other; // the direct bench sends freely
          } else {
            ev.what = peer_event::kind::error;
            ev.sequence = m.sequence;
            ev.code = m.code.empty() ? "FRAME_ERROR" : m.code;
          }
        },
        *e);
    return ev;
  }

  std::optional<std::string> ping_message(std::int64_t) const override {
    return std::nullopt;
  }

  std::optional<std::string> close_message() const override {
    return protocol::ai_close_session(id_);
  }

private:
  std::string id_;
  std::string design_url_;
};

} // namespace

std::unique_ptr<dialect> make_ai_dialect(std::string session_id,
                                         std::string design_url) {
  return std::make_unique<ai_dialect>(std::move(session_id),
                                      std::move(design_url));
}

} // namespace tryon::bench
