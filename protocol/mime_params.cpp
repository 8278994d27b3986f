#include "protocol/mime_params.hpp"

#include <cctype>
#include <cstddef>

namespace tryon::protocol {

namespace {

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// Reads a quoted-string starting after the opening quote at `pos`; leaves
// `pos` after the closing quote (or at the end if it is missing).
std::string read_quoted(std::string_view text, std::size_t& pos) {
  std::string out;
  while (pos < text.size() && text[pos] != '"') {
    if (text[pos] == '\\' && pos + 1 < text.size())
      ++pos;
    out += text[pos++];
  }
  if (pos < text.size())
    ++pos;
  return out;
}

} // namespace

std::string_view trim_space(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

std::string mime_main_value(std::string_view header_value) {
  auto main = trim_space(header_value.substr(0, header_value.find(';')));
  std::string out{main};
  for (auto& c : out)
    c = lower(c);
  return out;
}

std::optional<std::string> mime_param(std::string_view header_value,
                                      std::string_view name) {
  auto pos = header_value.find(';');
  while (pos != std::string_view::npos && pos < header_value.size()) {
    ++pos; // skip ';'
    auto end = header_value.find_first_of("=;", pos);
    auto key = trim_space(header_value.substr(pos, end - pos));
    if (end == std::string_view::npos)
      return std::nullopt;
    pos = end;
    if (header_value[pos] == ';')
      continue; // a bare parameter without a value
    ++pos;      // skip '='
    while (pos < header_value.size() && is_space(header_value[pos]))
      ++pos;
    std::string value;
    if (pos < header_value.size() && header_value[pos] == '"') {
      ++pos;
      value = read_quoted(header_value, pos);
      pos = header_value.find(';', pos);
    } else {
      auto stop = header_value.find(';', pos);
      value = std::string{trim_space(header_value.substr(pos, stop - pos))};
      pos = stop;
    }
    if (iequals(key, name))
      return value;
  }
  return std::nullopt;
}

} // namespace tryon::protocol
