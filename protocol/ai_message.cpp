#include "protocol/ai_message.hpp"

#include "protocol/image_sniff.hpp"
#include "protocol/json_text.hpp"

namespace tryon::protocol {

namespace {

using ordered = nlohmann::ordered_json;

parse_error bad_json(std::string message) {
  return parse_error{error_code::invalid_json, std::move(message)};
}

parse_error bad_frame(std::string message) {
  return parse_error{error_code::invalid_frame_header, std::move(message)};
}

// The header's "format" if given, else what the bytes look like.
std::optional<std::string> frame_format(const nlohmann::json& header,
                                        std::string_view image) {
  std::string format;
  if (!read_optional_string(header, "format", format))
    return std::nullopt;
  if (format.empty())
    format = std::string{format_name(sniff_image(image))};
  if (format.empty())
    return std::nullopt;
  return format;
}

parse_result<ai_event> parse_ai_event_object(const nlohmann::json& json,
                                             const std::string& type,
                                             std::string session_id) {
  if (type == "session_initialized")
    return ai_session_initialized{std::move(session_id)};
  if (type == "error") {
    ai_session_error ev{std::move(session_id), {}, {}};
    if (!read_optional_string(json, "code", ev.code) ||
        !read_optional_string(json, "message", ev.message))
      return bad_json("\"code\" and \"message\" must be strings");
    return ev;
  }
  if (type == "frame_error") {
    auto sequence = find_int64(json, "sequence");
    if (!sequence)
      return bad_json("frame_error needs an integer \"sequence\"");
    ai_frame_error ev{std::move(session_id), *sequence, {}, {}};
    if (!read_optional_string(json, "code", ev.code) ||
        !read_optional_string(json, "message", ev.message))
      return bad_json("\"code\" and \"message\" must be strings");
    return ev;
  }
  return parse_error{error_code::unknown_message_type,
                     "unknown AI message type \"" + type.substr(0, 64) + "\""};
}

parse_result<ai_request> parse_init_request(const nlohmann::json& json,
                                            std::string session_id) {
  const auto* ref = find_member(json, "nail_reference");
  if (ref == nullptr || !ref->is_object())
    return bad_json("init_session needs a \"nail_reference\" object");
  const auto* url = find_string(*ref, "url");
  if (url == nullptr)
    return bad_json("\"nail_reference\" needs a string \"url\"");
  ai_init_request req{std::move(session_id), *url, std::nullopt,
                      nlohmann::json::object()};
  if (const auto* post = find_member(*ref, "post_id")) {
    if (req.post_id = as_int64(*post); !req.post_id)
      return bad_json("\"post_id\" must be an integer or null");
  }
  if (const auto* meta = find_member(*ref, "metadata")) {
    if (!meta->is_object())
      return bad_json("\"metadata\" must be an object");
    req.metadata = *meta;
  }
  return req;
}

// Common envelope of text messages: a JSON object with "type" and
// "session_id" strings. Returns the parsed object or the error to report.
std::variant<nlohmann::json, parse_error>
parse_envelope(std::string_view text, bool needs_session = true) {
  auto json = parse_json_object(text);
  if (!json)
    return bad_json("message is not a JSON object");
  if (find_string(*json, "type") == nullptr)
    return parse_error{error_code::unknown_message_type,
                       "message has no string \"type\""};
  if (needs_session && find_string(*json, "session_id") == nullptr)
    return bad_json("message has no string \"session_id\"");
  return std::move(*json);
}

} // namespace

// -- server side
// ---------------------------------------------------------------

std::string ai_init_session(std::string_view session_id,
                            std::string_view nail_url,
                            std::optional<std::int64_t> post_id) {
  ordered msg;
  msg["type"] = "init_session";
  msg["session_id"] = session_id;
  ordered& ref = msg["nail_reference"];
  ref["url"] = nail_url;
  ref["post_id"] = post_id ? ordered(*post_id) : ordered(nullptr);
  ref["metadata"] = ordered::object();
  return dump_json(msg);
}

std::string ai_close_session(std::string_view session_id) {
  ordered msg;
  msg["type"] = "close_session";
  msg["session_id"] = session_id;
  return dump_json(msg);
}

std::string encode_ai_frame(std::string_view session_id, std::int64_t sequence,
                            std::int64_t timestamp, std::string_view format,
                            std::string_view image) {
  nlohmann::json header{{"session_id", session_id},
                        {"sequence", sequence},
                        {"timestamp", timestamp},
                        {"format", format}};
  return encode_frame(header, image);
}

parse_result<ai_event> parse_ai_event(std::string_view text) {
  auto envelope = parse_envelope(text, false);
  if (auto* err = std::get_if<parse_error>(&envelope))
    return std::move(*err);
  const auto& json = std::get<nlohmann::json>(envelope);
  const auto& type = *find_string(json, "type");
  if (type == "capacity") { // about the channel, not one session
    auto frames = find_int64(json, "frames");
    if (!frames || *frames < 0 || *frames > max_ai_capacity)
      return bad_json("capacity needs an integer \"frames\" from 0 to " +
                      std::to_string(max_ai_capacity));
    return ai_capacity{static_cast<std::size_t>(*frames)};
  }
  const auto* session_id = find_string(json, "session_id");
  if (session_id == nullptr)
    return bad_json("message has no string \"session_id\"");
  return parse_ai_event_object(json, type, *session_id);
}

parse_result<ai_processed_header>
decode_ai_processed_frame(std::string_view message) {
  auto decoded = decode_header_block(message);
  if (auto* err = std::get_if<parse_error>(&decoded))
    return std::move(*err);
  const auto& json = std::get<nlohmann::json>(decoded);
  std::string type;
  if (!read_optional_string(json, "type", type) ||
      (!type.empty() && type != "processed_frame"))
    return bad_frame("header \"type\" must be \"processed_frame\"");
  ai_processed_header header;
  if (!read_optional_string(json, "session_id", header.session_id) ||
      header.session_id.empty())
    return bad_frame("processed frame needs a string \"session_id\"");
  auto sequence = find_int64(json, "sequence");
  if (!sequence)
    return bad_frame("processed frame needs an integer \"sequence\"");
  header.sequence = *sequence;
  if (!read_optional_double(json, "confidence", header.confidence) ||
      !read_optional_double(json, "processing_time_ms",
                            header.processing_time_ms))
    return bad_frame("\"confidence\" and \"processing_time_ms\" are numbers");
  auto image = frame_image(message);
  if (image.empty())
    return bad_frame("processed frame carries no image bytes");
  auto format = frame_format(json, image);
  if (!format)
    return bad_frame("processed frame has no usable \"format\"");
  header.format = std::move(*format);
  return header;
}

// -- AI-service side ----------------------------------------------------------

parse_result<ai_request> parse_ai_request(std::string_view text) {
  auto envelope = parse_envelope(text);
  if (auto* err = std::get_if<parse_error>(&envelope))
    return std::move(*err);
  const auto& json = std::get<nlohmann::json>(envelope);
  const auto& type = *find_string(json, "type");
  std::string session_id = *find_string(json, "session_id");
  if (type == "init_session")
    return parse_init_request(json, std::move(session_id));
  if (type == "close_session")
    return ai_close_request{std::move(session_id)};
  return parse_error{error_code::unknown_message_type,
                     "unknown request type \"" + type.substr(0, 64) + "\""};
}

parse_result<ai_frame_request_header>
decode_ai_frame_request(std::string_view message) {
  auto decoded = decode_header_block(message);
  if (auto* err = std::get_if<parse_error>(&decoded))
    return std::move(*err);
  const auto& json = std::get<nlohmann::json>(decoded);
  ai_frame_request_header header;
  if (!read_optional_string(json, "session_id", header.session_id) ||
      header.session_id.empty())
    return bad_frame("frame needs a string \"session_id\"");
  auto sequence = find_int64(json, "sequence");
  if (!sequence)
    return bad_frame("frame needs an integer \"sequence\"");
  header.sequence = *sequence;
  if (const auto* ts = find_member(json, "timestamp")) {
    auto value = as_int64(*ts);
    if (!value)
      return bad_frame("\"timestamp\" must be an integer");
    header.timestamp = *value;
  }
  auto image = frame_image(message);
  if (image.empty())
    return bad_frame("frame carries no image bytes");
  auto format = frame_format(json, image);
  if (!format)
    return bad_frame("frame has no usable \"format\"");
  header.format = std::move(*format);
  return header;
}

std::string encode_ai_processed_frame(const ai_processed_header& header,
                                      std::string_view image) {
  nlohmann::json json{{"type", "processed_frame"},
                      {"session_id", header.session_id},
                      {"sequence", header.sequence},
                      {"confidence", header.confidence},
                      {"processing_time_ms", header.processing_time_ms},
                      {"format", header.format}};
  return encode_frame(json, image);
}

std::string ai_capacity_msg(std::size_t frames) {
  ordered msg;
  msg["type"] = "capacity";
  msg["frames"] = frames;
  return dump_json(msg);
}

std::string ai_session_initialized_msg(std::string_view session_id) {
  ordered msg;
  msg["type"] = "session_initialized";
  msg["session_id"] = session_id;
  return dump_json(msg);
}

std::string ai_session_error_msg(std::string_view session_id,
                                 std::string_view code,
                                 std::string_view message) {
  ordered msg;
  msg["type"] = "error";
  msg["session_id"] = session_id;
  msg["code"] = code;
  msg["message"] = message;
  return dump_json(msg);
}

std::string ai_frame_error_msg(std::string_view session_id,
                               std::int64_t sequence, std::string_view code,
                               std::string_view message) {
  ordered msg;
  msg["type"] = "frame_error";
  msg["session_id"] = session_id;
  msg["sequence"] = sequence;
  msg["code"] = code;
  msg["message"] = message;
  return dump_json(msg);
}

} // namespace tryon::protocol
