#include "bench/harness/dialect.hpp"

#include "protocol/frame_header.hpp"
#include "protocol/json_text.hpp"

namespace tryon::bench {

namespace {

// PROTOCOL.md §3: text metadata (`processed_frame`) precedes each processed
// image, so the image's sequence is the one the last metadata named.
class server_dialect : public dialect {
public:
  explicit server_dialect(bool stream_hints) : stream_hints_(stream_hints) {}

  std::string init_message() const override {
    if (stream_hints_)
      return R"({"type":"init_session","capabilities":["stream_hints"]})";
    return R"({"type":"init_session"})";
  }

  frame_message encode_frame(std::int64_t sequence, std::int64_t timestamp_ms,
                             const frame_image& image) const override {
    nlohmann::json h{{"sequence", sequence},
                     {"timestamp", timestamp_ms},
                     {"width", image.width},
                     {"height", image.height},
                     {"format", "jpeg"}};
    auto block = protocol::encode_header_block(h);
    return {std::make_shared<const std::string>(block.value_or(std::string{})),
            image.jpeg};
  }

  peer_event on_message(bool binary, std::string_view data) override {
    peer_event ev;
    if (binary) {
      if (!pending_) {
        ev.what = peer_event::kind::error;
        ev.code = "UNEXPECTED_BINARY";
        return ev;
      }
      ev.what = peer_event::kind::processed;
      ev = *pending_;
      ev.what = peer_event::kind::processed;
      pending_.reset();
      return ev;
    }
    auto j = protocol::parse_json_object(data);
    const std::string* type = j ? protocol::find_string(*j, "type") : nullptr;
    if (type == nullptr) {
      ev.what = peer_event::kind::error;
      ev.code = "BAD_SERVER_MESSAGE";
      return ev;
    }
    if (*type == "session_ready") {
      ev.what = peer_event::kind::ready;
    } else if (*type == "processed_frame") {
      ev.what = peer_event::kind::meta;
      ev.sequence = protocol::find_int64(*j, "sequence").value_or(-1);
      ev.dropped = protocol::find_int64(*j, "dropped_frames").value_or(0);
      protocol::read_optional_double(*j, "processing_time_ms",
                                     ev.processing_ms);
      protocol::read_optional_double(*j, "confidence", ev.confidence);
      pending_ = ev;
    } else if (*type == "error") {
      ev.what = peer_event::kind::error;
      const std::string* code = protocol::find_string(*j, "code");
      ev.code = code ? *code : "?";
    } else if (*type == "pong") {
      ev.what = peer_event::kind::pong;
      ev.timestamp = protocol::find_int64(*j, "timestamp");
    } else if (*type == "stream_hint") {
      if ((ev.hint = parse_stream_hint(*j))) {
        ev.what = peer_event::kind::hint;
        ev.timestamp = ev.hint->timestamp;
      } else {
        ev.what = peer_event::kind::error;
        ev.code = "BAD_STREAM_HINT";
      }
    }
    return ev;
  }

  std::optional<std::string> ping_message(std::int64_t ts) const override {
    return nlohmann::json{{"type", "ping"}, {"timestamp", ts}}.dump();
  }

  std::optional<std::string> close_message() const override {
    return std::nullopt;
  }

private:
  bool stream_hints_;
  std::optional<peer_event> pending_; ///< the metadata awaiting its image
};

} // namespace

std::unique_ptr<dialect> make_server_dialect(bool stream_hints) {
  return std::make_unique<server_dialect>(stream_hints);
}

} // namespace tryon::bench
