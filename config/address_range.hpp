#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tryon::config {

/// An IPv4 or IPv6 address with a prefix length ("10.0.0.0/8", "::1",
/// "192.0.2.7" = /32): the form trusted proxies are given in.
struct address_range {
  /// The address in IPv6 form (IPv4 as ::ffff:a.b.c.d).
  std::array<std::uint8_t, 16> bytes{};
  /// Leading bits that must match, counted in the IPv6 form.
  int prefix_bits = 128;
};

/// Parses "address" or "address/prefix"; nullopt when malformed.
std::optional<address_range> parse_address_range(std::string_view text);

/// An address in the same IPv6 form (IPv4 mapped); nullopt when `text` is
/// not an IPv4 or IPv6 address.
std::optional<std::array<std::uint8_t, 16>>
parse_address(std::string_view text);

/// Whether `address` lies in `range`.
bool in_range(const address_range& range,
              const std::array<std::uint8_t, 16>& address);

} // namespace tryon::config
