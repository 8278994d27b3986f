#include "protocol/image_sniff.hpp"

namespace tryon::protocol {

namespace {

//   JPEG: FF D8 FF (SOI followed by the first marker)
//   PNG:  89 'P' 'N' 'G' 0D 0A 1A 0A
//   WebP: 'R' 'I' 'F' 'F' <4-byte size> 'W' 'E' 'B' 'P'
constexpr std::string_view jpeg_magic{"\xFF\xD8\xFF", 3};
constexpr std::string_view png_magic{"\x89PNG\r\n\x1A\n", 8};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

} // namespace

image_kind sniff_image(std::string_view first_bytes) {
  if (starts_with(first_bytes, jpeg_magic))
    return image_kind::jpeg;
  if (starts_with(first_bytes, png_magic))
    return image_kind::png;
  if (first_bytes.size() >= sniff_bytes && starts_with(first_bytes, "RIFF") &&
      first_bytes.substr(8, 4) == "WEBP")
    return image_kind::webp;
  return image_kind::unknown;
}

std::string_view content_type(image_kind kind) {
  switch (kind) {
  case image_kind::jpeg:
    return "image/jpeg";
  case image_kind::png:
    return "image/png";
  case image_kind::webp:
    return "image/webp";
  case image_kind::unknown:
    break;
  }
  return "application/octet-stream";
}

std::string_view file_extension(image_kind kind) {
  switch (kind) {
  case image_kind::jpeg:
    return ".jpg";
  case image_kind::png:
    return ".png";
  case image_kind::webp:
    return ".webp";
  case image_kind::unknown:
    break;
  }
  return "";
}

std::string_view format_name(image_kind kind) {
  switch (kind) {
  case image_kind::jpeg:
    return "jpeg";
  case image_kind::png:
    return "png";
  case image_kind::webp:
    return "webp";
  case image_kind::unknown:
    break;
  }
  return "";
}

} // namespace tryon::protocol
