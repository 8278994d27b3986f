#include "net/rest/rest_context.hpp"

#include <algorithm>
#include <charconv>

namespace tryon::net::rest {

namespace {

using nlohmann::json;

// Non-negative integer query parameter; nullopt when absent, -2 when invalid.
std::int64_t query_int(const http_request& req, const char* name,
                       std::int64_t absent) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty())
    return absent;
  std::int64_t v = 0;
  const auto& s = it->second;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v < 0)
    return -2;
  return v;
}

} // namespace

nlohmann::json result_json(rest_context& ctx,
                           const persistence::result_record& r) {
  return {{"id", r.id},
          {"session", r.session_id},
          {"nail_reference_post",
           r.nail_reference_post_id ? json(*r.nail_reference_post_id) : json()},
          {"processed_image", ctx.media.url_for(r.processed_image)},
          {"thumbnail",
           r.thumbnail ? json(ctx.media.url_for(*r.thumbnail)) : json()},
          {"created_at", persistence::iso8601(r.created_at)},
          {"confidence_score",
           r.confidence_score ? json(*r.confidence_score) : json()},
          {"metadata", r.metadata}};
}

http_response handle_results(rest_context& ctx, const http_request& req,
                             const std::string* result_id) {
  // A read-only viewset: writes are 405 whatever the caller.
  if (req.method != "GET" && req.method != "HEAD")
    return method_not_allowed(req, "GET, HEAD, OPTIONS");
  auto auth = authenticate(ctx, req);
  if (auto* res = std::get_if<http_response>(&auth))
    return *res;
  const auto& caller = std::get<persistence::user>(auth);
  if (result_id) {
    std::int64_t id = 0;
    const auto& s = *result_id;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec != std::errc{} || p != s.data() + s.size())
      return http_response::detail(404, "Not found.");
    auto r = ctx.results.find_result(caller.id, id);
    if (!r)
      return http_response::detail(404, "Not found.");
    return http_response::json(200, result_json(ctx, *r));
  }
  auto limit = query_int(req, "limit", ctx.cfg.results_page_default);
  auto offset = query_int(req, "offset", 0);
  if (limit == -2 || offset == -2)
    return http_response::error(
        400, "limit and offset must be non-negative integers");
  // A page is bounded whatever the client asks: one request must not make
  // the server serialise a user's whole history.
  limit = std::min<std::int64_t>(limit, ctx.cfg.results_page_max);
  auto rows = ctx.results.list_results(caller.id, limit, offset);
  auto list = json::array();
  for (const auto& r : rows)
    list.push_back(result_json(ctx, r));
  return http_response::json(200, list);
}

} // namespace tryon::net::rest
