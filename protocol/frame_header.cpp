#include "protocol/frame_header.hpp"

#include "protocol/json_text.hpp"

namespace tryon::protocol {

std::optional<std::string> encode_header_block(const nlohmann::json& obj) {
  auto text = dump_json(obj);
  if (text.size() > frame_header_size)
    return std::nullopt;
  text.resize(frame_header_size, '\0');
  return text;
}

parse_result<nlohmann::json> decode_header_block(std::string_view message) {
  if (message.size() < frame_header_size)
    return parse_error{error_code::invalid_frame_header,
                       "binary message shorter than the 1024-byte header"};
  auto block = message.substr(0, frame_header_size);
  auto json_text = block.substr(0, block.find('\0'));
  auto obj = parse_json_object(json_text);
  if (!obj)
    return parse_error{error_code::invalid_frame_header,
                       "frame header is not a JSON object"};
  return std::move(*obj);
}

std::string_view frame_image(std::string_view message) {
  if (message.size() <= frame_header_size)
    return {};
  return message.substr(frame_header_size);
}

std::string encode_frame(const nlohmann::json& header, std::string_view image) {
  auto block = encode_header_block(header);
  if (!block)
    return {};
  block->append(image);
  return std::move(*block);
}

} // namespace tryon::protocol
