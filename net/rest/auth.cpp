#include "net/rest/rest_context.hpp"

#include "logging/log_context.hpp"
#include "persistence/store_error.hpp"

namespace tryon::net::rest {

namespace {

std::optional<std::string> token_from_header(const std::string& value) {
  for (std::string_view scheme : {"Token ", "Bearer ", "token ", "bearer "}) {
    if (value.compare(0, scheme.size(), scheme) == 0) {
      auto key = value.substr(scheme.size());
      while (!key.empty() && key.front() == ' ')
        key.erase(key.begin());
      while (!key.empty() && key.back() == ' ')
        key.pop_back();
      return key;
    }
  }
  return std::nullopt;
}

http_response unauthorized(std::string_view text) {
  auto res = http_response::detail(401, text);
  res.headers.emplace_back("WWW-Authenticate", "Token");
  return res;
}

} // namespace

auth_outcome authenticate(rest_context& ctx, const http_request& req,
                          bool allow_query) {
  std::optional<std::string> key;
  if (auto value = req.header("authorization")) {
    key = token_from_header(*value);
    if (!key)
      return unauthorized("Authentication credentials were not provided.");
  } else if (allow_query) {
    if (auto it = req.query.find("token"); it != req.query.end())
      key = it->second;
  }
  if (!key || key->empty())
    return unauthorized("Authentication credentials were not provided.");
  // DRF keys are 40 characters; anything far off cannot match, so spare the
  // database the lookup.
  if (key->size() > 128)
    return unauthorized("Invalid token.");
  auto found = ctx.users.find_by_token(*key);
  if (!found)
    return unauthorized("Invalid token.");
  logging::note_user(found->id); // for the access line
  return *found;
}

http_response method_not_allowed(const http_request& req,
                                 std::string_view allow) {
  auto res =
      http_response::detail(405, "Method \"" + req.method + "\" not allowed.");
  res.headers.emplace_back("Allow", std::string{allow});
  return res;
}

} // namespace tryon::net::rest
