#include "protocol/client_frame.hpp"

#include "protocol/image_sniff.hpp"
#include "protocol/json_text.hpp"

#include <cctype>
#include <cmath>
#include <limits>

namespace tryon::protocol {

namespace {

parse_error bad_header(std::string message) {
  return parse_error{error_code::invalid_frame_header, std::move(message)};
}

// Browsers may send performance.now()-style floats; accept any finite
// number that fits, truncated to whole milliseconds.
std::optional<std::int64_t> timestamp_ms(const nlohmann::json& value) {
  if (auto i = as_int64(value))
    return i;
  auto d = as_double(value);
  if (!d || !std::isfinite(*d) || std::fabs(*d) >= 9.0e18)
    return std::nullopt;
  return static_cast<std::int64_t>(*d);
}

std::optional<int> dimension(const nlohmann::json& value) {
  auto i = as_int64(value);
  if (!i || *i < 0 || *i > std::numeric_limits<int>::max())
    return std::nullopt;
  return static_cast<int>(*i);
}

image_kind declared_kind(std::string name) {
  for (auto& c : name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "jpeg" || name == "jpg")
    return image_kind::jpeg;
  if (name == "webp")
    return image_kind::webp;
  return image_kind::unknown;
}

} // namespace

parse_result<client_frame_header>
decode_client_frame(std::string_view message, std::size_t max_frame_size) {
  if (message.size() > max_frame_size)
    return parse_error{error_code::frame_too_large,
                       "frame larger than " + std::to_string(max_frame_size) +
                           " bytes"};
  auto decoded = decode_header_block(message);
  if (auto* err = std::get_if<parse_error>(&decoded))
    return std::move(*err);
  const auto& json = std::get<nlohmann::json>(decoded);
  client_frame_header header;
  auto seq_value = find_int64(json, "sequence");
  if (!seq_value)
    return bad_header("frame header needs an integer \"sequence\"");
  header.sequence = *seq_value;
  if (const auto* ts = find_member(json, "timestamp")) {
    if (header.timestamp = timestamp_ms(*ts); !header.timestamp)
      return bad_header("\"timestamp\" must be a number (ms)");
  }
  if (const auto* w = find_member(json, "width")) {
    if (header.width = dimension(*w); !header.width)
      return bad_header("\"width\" must be a non-negative integer");
  }
  if (const auto* h = find_member(json, "height")) {
    if (header.height = dimension(*h); !header.height)
      return bad_header("\"height\" must be a non-negative integer");
  }
  auto image = frame_image(message);
  if (image.empty())
    return bad_header("frame carries no image bytes");
  // The bytes decide: a label alone would let anything reach the AI service.
  auto kind = sniff_image(image);
  if (kind != image_kind::jpeg && kind != image_kind::webp)
    return bad_header("image bytes are neither JPEG nor WebP");
  if (const auto* fmt = find_member(json, "format")) {
    if (!fmt->is_string() || declared_kind(fmt->get<std::string>()) != kind)
      return bad_header("\"format\" does not match the image bytes (" +
                        std::string{format_name(kind)} + ")");
  }
  header.format = std::string{format_name(kind)};
  return header;
}

std::string encode_client_frame(const client_frame_header& header,
                                std::string_view image) {
  nlohmann::json json{{"sequence", header.sequence}};
  if (header.timestamp)
    json["timestamp"] = *header.timestamp;
  if (header.width)
    json["width"] = *header.width;
  if (header.height)
    json["height"] = *header.height;
  if (!header.format.empty())
    json["format"] = header.format;
  return encode_frame(json, image);
}

} // namespace tryon::protocol
