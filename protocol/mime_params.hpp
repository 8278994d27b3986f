#pragma once

#include <optional>
#include <string>
#include <string_view>

// Parsing of MIME header values of the form
//   value; name=token; name="quoted \"string\""
// as used by Content-Type and Content-Disposition.

namespace tryon::protocol {

/// The part before the first ';', trimmed and lower-cased.
std::string mime_main_value(std::string_view header_value);

/// The parameter `name` (case-insensitive), unquoted; nullopt if absent.
std::optional<std::string> mime_param(std::string_view header_value,
                                      std::string_view name);

/// `text` without leading and trailing spaces and tabs.
std::string_view trim_space(std::string_view text);

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

} // namespace tryon::protocol
