#include "net/http_types.hpp"

#include "config/url.hpp"

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

bool split_target(http_request& req) {
  std::string_view target = req.target;
  if (target.empty() || target.front() != '/')
    return false;
  auto q = target.find('?');
  auto path = config::percent_decode(target.substr(0, q));
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
    auto key = config::percent_decode(pair.substr(0, eq), true);
    auto value = config::percent_decode(
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1),
        true);
    if (!key || !value)
      return false;
    req.query.emplace(std::move(*key), std::move(*value));
  }
  return true;
}

} // namespace tryon::net
