#pragma once

#include <string>
#include <string_view>

namespace tryon::persistence {

/// SHA-256 of `data` as 64 lower-case hex digits (OpenSSL's libcrypto).
/// API tokens are stored and looked up by this digest, never in clear.
std::string sha256_hex(std::string_view data);

/// SHA-1 of `data` as 40 lower-case hex digits: the name Redis gives a
/// Lua script (EVALSHA), not a security digest.
std::string sha1_hex(std::string_view data);

} // namespace tryon::persistence
