#include "protocol/json_text.hpp"

#include <limits>

namespace tryon::protocol {

namespace {

// Counts bracket nesting outside string literals; cheaper than a SAX pass.
bool nesting_within_limit(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_json_depth)
        return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

template <class Json>
std::string dump_any(const Json& value) {
  try {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
  } catch (const nlohmann::json::exception&) {
    return "null";
  }
}

} // namespace

std::string dump_json(const nlohmann::json& value) {
  return dump_any(value);
}

std::string dump_json(const nlohmann::ordered_json& value) {
  return dump_any(value);
}

std::optional<nlohmann::json> parse_json_object(std::string_view text) {
  if (!nesting_within_limit(text))
    return std::nullopt;
  try {
    auto value = nlohmann::json::parse(text.begin(), text.end(), nullptr,
                                       /*allow_exceptions=*/false);
    if (!value.is_object())
      return std::nullopt;
    return value;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::optional<std::int64_t> as_int64(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    if (u >
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (value.is_number_integer())
    return value.get<std::int64_t>();
  return std::nullopt;
}

std::optional<double> as_double(const nlohmann::json& value) {
  if (!value.is_number())
    return std::nullopt;
  return value.get<double>();
}

const std::string* find_string(const nlohmann::json& obj, const char* key) {
  const auto* member = find_member(obj, key);
  if (member == nullptr || !member->is_string())
    return nullptr;
  return member->get_ptr<const std::string*>();
}

const nlohmann::json* find_member(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object())
    return nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null())
    return nullptr;
  return &*it;
}

std::optional<std::int64_t> find_int64(const nlohmann::json& obj,
                                       const char* key) {
  const auto* member = find_member(obj, key);
  return member != nullptr ? as_int64(*member) : std::nullopt;
}

bool read_optional_string(const nlohmann::json& obj, const char* key,
                          std::string& out) {
  const auto* member = find_member(obj, key);
  if (member == nullptr)
    return true;
  if (!member->is_string())
    return false;
  out = member->get<std::string>();
  return true;
}

bool read_optional_double(const nlohmann::json& obj, const char* key,
                          double& out) {
  const auto* member = find_member(obj, key);
  if (member == nullptr)
    return true;
  auto value = as_double(*member);
  if (!value)
    return false;
  out = *value;
  return true;
}

} // namespace tryon::protocol
