#include "protocol/client_message.hpp"

#include "protocol/json_text.hpp"

#include <string>

namespace tryon::protocol {

namespace {

parse_result<client_message> parse_control(const nlohmann::json& json) {
  const auto* action = find_string(json, "action");
  if (action != nullptr && *action == "pause")
    return control_msg{control_msg::action::pause};
  if (action != nullptr && *action == "resume")
    return control_msg{control_msg::action::resume};
  return parse_error{error_code::invalid_json,
                     "control needs \"action\": \"pause\" or \"resume\""};
}

parse_result<client_message> parse_init(const nlohmann::json& json) {
  init_session_msg msg;
  const auto* caps = find_member(json, "capabilities");
  if (caps == nullptr || caps->is_null())
    return msg;
  if (!caps->is_array() || caps->size() > 64)
    return parse_error{error_code::invalid_json,
                       "\"capabilities\" must be an array of strings"};
  for (const auto& c : *caps) {
    if (!c.is_string())
      return parse_error{error_code::invalid_json,
                         "\"capabilities\" must be an array of strings"};
    if (c.get_ref<const std::string&>() == "stream_hints")
      msg.stream_hints = true;
  }
  return msg;
}

} // namespace

parse_result<client_message> parse_client_message(std::string_view text) {
  auto json = parse_json_object(text);
  if (!json)
    return parse_error{error_code::invalid_json,
                       "message is not a JSON object"};
  const auto* type = find_string(*json, "type");
  if (type == nullptr)
    return parse_error{error_code::unknown_message_type,
                       "message has no string \"type\""};
  if (*type == "init_session")
    return parse_init(*json);
  if (*type == "control")
    return parse_control(*json);
  if (*type == "capture")
    return capture_msg{};
  if (*type == "ping") {
    // Only a number is echoed: any other JSON value (a megabyte string, a
    // deep array) would be held in the reply queue of a client that may
    // never read it.
    auto it = json->find("timestamp");
    if (it == json->end() || !it->is_number())
      return parse_error{error_code::invalid_json,
                         "ping needs a numeric \"timestamp\""};
    return ping_msg{*it};
  }
  // Echo a bounded prefix only: the type string comes from the peer.
  return parse_error{error_code::unknown_message_type,
                     "unknown message type \"" + type->substr(0, 64) + "\""};
}

} // namespace tryon::protocol
