#include "config/address_range.hpp"

#include <string>

#include <arpa/inet.h>

namespace tryon::config {

std::optional<std::array<std::uint8_t, 16>>
parse_address(std::string_view text) {
  std::string s{text};
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    const auto* b = reinterpret_cast<const std::uint8_t*>(&v4.s_addr);
    for (int i = 0; i < 4; ++i)
      out[12 + i] = b[i];
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    for (int i = 0; i < 16; ++i)
      out[i] = v6.s6_addr[i];
    return out;
  }
  return std::nullopt;
}

std::optional<address_range> parse_address_range(std::string_view text) {
  auto slash = text.find('/');
  auto address = parse_address(text.substr(0, slash));
  if (!address)
    return std::nullopt;
  address_range r;
  r.bytes = *address;
  bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  if (slash == std::string_view::npos)
    return r;
  auto digits = text.substr(slash + 1);
  if (digits.empty() || digits.size() > 3)
    return std::nullopt;
  int bits = 0;
  for (char c : digits) {
    if (c < '0' || c > '9')
      return std::nullopt;
    bits = bits * 10 + (c - '0');
  }
  if (bits > (v4 ? 32 : 128))
    return std::nullopt;
  r.prefix_bits = v4 ? 96 + bits : bits;
  return r;
}

bool in_range(const address_range& range,
              const std::array<std::uint8_t, 16>& address) {
  int bits = range.prefix_bits;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    auto mask =
        static_cast<std::uint8_t>(bits >= 8 ? 0xff : 0xff << (8 - bits));
    if ((range.bytes[i] & mask) != (address[i] & mask))
      return false;
  }
  return true;
}

} // namespace tryon::config
