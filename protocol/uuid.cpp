#include "protocol/uuid.hpp"

#include <cstddef>

namespace tryon::protocol {

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

} // namespace

bool is_canonical_uuid(std::string_view text) {
  if (text.size() != 36)
    return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash_slot = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_slot ? text[i] != '-' : !is_hex(text[i]))
      return false;
  }
  return true;
}

} // namespace tryon::protocol
