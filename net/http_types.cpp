#include "net/http_types.hpp"

namespace tryon::net {

std::optional<std::string> http_request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name)
      return v;
  return std::nullopt;
}

http_response http_response::json(unsigned status, const nlohmann::json& body) {
  http_response res;
  res.status = status;
  res.body =
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

http_response http_response::detail(unsigned status, std::string_view text) {
  return json(status, {{"detail", text}});
}

http_response http_response::error(unsigned status, std::string_view text) {
  return json(status, {{"error", text}});
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

std::optional<std::string> percent_decode(std::string_view in,
                                          bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size())
        return std::nullopt;
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0')
      return std::nullopt;
    out += c;
  }
  return out;
}

bool split_target(http_request& req) {
  std::string_view target = req.target;
  if (target.empty() || target.front() != '/')
    return false;
  auto q = target.find('?');
  auto path = percent_decode(target.substr(0, q));
  if (!path)
    return false;
  req.path = std::move(*path);
  req.query.clear();
  if (q == std::string_view::npos)
    return true;
  auto rest = target.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{}
                                         : rest.substr(amp + 1);
    if (pair.empty())
      continue;
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1),
        true);
    if (!key || !value)
      return false;
    req.query.emplace(std::move(*key), std::move(*value));
  }
  return true;
}

} // namespace tryon::net
