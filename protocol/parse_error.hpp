#pragma once

#include "protocol/error_code.hpp"

#include <string>
#include <variant>

namespace tryon::protocol {

/// Why a wire message was rejected: the code to send and a readable reason.
struct parse_error {
  /// Code for the client-facing `error` message.
  error_code code;
  /// Human-readable reason, safe to send to the peer.
  std::string message;
};

/// Either the decoded value or the reason decoding failed.
template <class T>
using parse_result = std::variant<T, parse_error>;

} // namespace tryon::protocol
