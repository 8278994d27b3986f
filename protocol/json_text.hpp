#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Shared JSON helpers for the codecs: parsing that never throws and cannot be
// driven into deep recursion, and typed field access.

namespace tryon::protocol {

/// Deepest array/object nesting accepted from a peer. Deeper input is
/// rejected before parsing because dumping it again (e.g. echoing a ping
/// timestamp) recurses once per level.
constexpr std::size_t max_json_depth = 32;

/// Serializes compactly; invalid UTF-8 becomes U+FFFD instead of throwing.
std::string dump_json(const nlohmann::json& value);

/// Serializes compactly, keeping insertion order; never throws.
std::string dump_json(const nlohmann::ordered_json& value);

/// Parses `text` as a JSON object; nullopt if invalid, not an object or
/// nested deeper than `max_json_depth`.
std::optional<nlohmann::json> parse_json_object(std::string_view text);

/// The value as int64 if it is a JSON integer that fits; floats do not count.
std::optional<std::int64_t> as_int64(const nlohmann::json& value);

/// The value as double if it is any JSON number.
std::optional<double> as_double(const nlohmann::json& value);

/// The member `key` of `obj` if present and a string, else nullptr.
const std::string* find_string(const nlohmann::json& obj, const char* key);

/// The member `key` of `obj`, or nullptr if absent or null.
const nlohmann::json* find_member(const nlohmann::json& obj, const char* key);

/// The member `key` of `obj` as int64 if present and an integer that fits.
std::optional<std::int64_t> find_int64(const nlohmann::json& obj,
                                       const char* key);

/// Copies string member `key` into `out`. Absent or null leaves `out`
/// untouched; returns false only for a present non-string value.
bool read_optional_string(const nlohmann::json& obj, const char* key,
                          std::string& out);

/// Copies number member `key` into `out`. Absent or null leaves `out`
/// untouched; returns false only for a present non-number value.
bool read_optional_double(const nlohmann::json& obj, const char* key,
                          double& out);

} // namespace tryon::protocol
