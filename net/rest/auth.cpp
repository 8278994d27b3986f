#include "net/rest/rest_context.hpp"

#include "logging/log_context.hpp"
#include "persistence/digest.hpp"
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
  // Keys are 40 lower-case hex digits (DRF's): anything else cannot match,
  // so the database is spared the lookup.
  if (key->size() != 40 ||
      key->find_first_not_of("0123456789abcdef") != std::string::npos)
    return unauthorized("Invalid token.");
  auto digest = persistence::sha256_hex(*key);
  auto now = unknown_token_cache::clock::now();
  if (ctx.unknown_tokens && ctx.unknown_tokens->known_bad(digest, now))
    return unauthorized("Invalid token.");
  auto found = ctx.users.find_by_token(*key);
  if (!found) {
    if (ctx.unknown_tokens)
      ctx.unknown_tokens->remember(digest, now);
    return unauthorized("Invalid token.");
  }
  logging::note_user(found->id); // for the access line
  return *found;
}

bool is_direct_loopback(const http_request& req) {
  if (req.header("x-forwarded-for") || req.header("x-real-ip") ||
      req.header("forwarded"))
    return false;
  const auto& a = req.remote_address;
  return a == "127.0.0.1" || a == "::1" || a.rfind("127.", 0) == 0 ||
         a.rfind("::ffff:127.", 0) == 0;
}

http_response method_not_allowed(const http_request& req,
                                 std::string_view allow) {
  auto res =
      http_response::detail(405, "Method \"" + req.method + "\" not allowed.");
  res.headers.emplace_back("Allow", std::string{allow});
  return res;
}

} // namespace tryon::net::rest
