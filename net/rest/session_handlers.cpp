#include "net/rest/rest_context.hpp"

#include "net/rest/quotas.hpp"
#include "protocol/uuid.hpp"

namespace tryon::net::rest {

namespace {

using nlohmann::json;
using persistence::user;

// Reads an optional integer field; DRF's IntegerField also takes digit strings.
bool read_int(const json& body, const char* name,
              std::optional<std::int64_t>& out, std::string& err) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null())
    return true;
  if (it->is_number_integer()) {
    out = it->get<std::int64_t>();
    return true;
  }
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (!s.empty() && s.size() < 19 &&
        s.find_first_not_of("0123456789") == std::string::npos) {
      out = std::stoll(s);
      return true;
    }
  }
  err = std::string{name} + ": a valid integer is required.";
  return false;
}

bool read_string(const json& body, const char* name,
                 std::optional<std::string>& out, std::string& err) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null())
    return true;
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    err = std::string{name} + ": a non-empty string is required.";
    return false;
  }
  out = it->get<std::string>();
  return true;
}

bool is_json_content_type(const http_request& req) {
  auto ct = req.header("content-type");
  return !ct || ct->rfind("application/json", 0) == 0;
}

} // namespace

nlohmann::json session_json(const persistence::session_record& s) {
  return {{"session_id", s.id},
          {"status", s.status},
          {"mode", s.mode},
          {"created_at", persistence::iso8601(s.created_at)},
          {"updated_at", persistence::iso8601(s.updated_at)},
          {"expires_at", persistence::iso8601(s.expires_at)},
          {"nail_reference_url", s.nail_reference_url},
          {"nail_reference_post",
           s.nail_reference_post_id ? json(*s.nail_reference_post_id) : json()},
          {"stats", s.stats}};
}

http_response handle_session_create(rest_context& ctx,
                                    const http_request& req) {
  if (req.method != "POST")
    return method_not_allowed(req, "POST, OPTIONS");
  auto auth = authenticate(ctx, req);
  if (auto* res = std::get_if<http_response>(&auth))
    return *res;
  const auto& caller = std::get<user>(auth);
  // DRF throttles after authentication, before the view's own checks.
  if (auto res = charge_session_create(ctx, caller.id))
    return *res;
  if (!is_json_content_type(req))
    return http_response::detail(415, "Unsupported media type \"" +
                                          *req.header("content-type") +
                                          "\" in request.");
  json body = json::object();
  if (!req.body.empty()) {
    body = json::parse(req.body, nullptr, false);
    if (body.is_discarded())
      return http_response::detail(400, "JSON parse error - invalid JSON");
    if (!body.is_object())
      return http_response::error(400, "Request body must be a JSON object");
  }
  std::string err;
  std::optional<std::int64_t> post_id, user_id;
  std::optional<std::string> reference_url, source_url;
  if (!read_int(body, "nail_post_id", post_id, err) ||
      !read_int(body, "user_id", user_id, err) ||
      !read_string(body, "nail_reference_url", reference_url, err) ||
      !read_string(body, "source_image_url", source_url, err))
    return http_response::error(400, err);
  persistence::new_session ns;
  ns.user_id = caller.id;
  // Only staff may act for another user (the original let anyone).
  if (user_id && caller.is_staff && *user_id != caller.id) {
    if (!ctx.users.find_by_id(*user_id))
      return http_response::error(400, "User not found");
    ns.user_id = *user_id;
  }
  if (post_id && reference_url)
    return http_response::error(
        400, "Give either nail_post_id or nail_reference_url, not both");
  if (post_id) {
    auto p = ctx.posts.find_post(*post_id);
    if (!p)
      return http_response::error(400, "Nail post not found");
    ns.mode = "explore";
    ns.nail_reference_post_id = p->id;
    ns.nail_reference_url = p->image_url;
  } else if (reference_url) {
    auto up = ctx.uploads.find_upload_by_url(caller.id, *reference_url);
    if (!up || up->kind != "nail_reference")
      return http_response::error(
          400, "nail_reference_url must be a nail_reference URL returned by "
               "the upload endpoint to you");
    ns.mode = "upload";
    ns.nail_reference_url = *reference_url;
  } else {
    return http_response::error(
        400, "nail_post_id or nail_reference_url is required");
  }
  if (source_url) {
    auto up = ctx.uploads.find_upload_by_url(caller.id, *source_url);
    if (!up || up->kind != "source_image")
      return http_response::error(
          400, "source_image_url must be a source_image URL returned by the "
               "upload endpoint to you");
    ns.source_image_url = source_url;
  }
  ns.expires_at = persistence::now_us() +
                  std::chrono::duration_cast<std::chrono::microseconds>(
                      ctx.cfg.session_timeout)
                      .count();
  auto created = ctx.sessions.create_session(ns);
  return http_response::json(
      201, {{"session_id", created.id},
            {"expires_at", persistence::iso8601(created.expires_at)}});
}

http_response handle_session_detail(rest_context& ctx, const http_request& req,
                                    const std::string& session_id) {
  if (req.method != "GET" && req.method != "HEAD")
    return method_not_allowed(req, "GET, HEAD, OPTIONS");
  auto auth = authenticate(ctx, req);
  if (auto* res = std::get_if<http_response>(&auth))
    return *res;
  const auto& caller = std::get<user>(auth);
  auto s = protocol::is_canonical_uuid(session_id)
               ? ctx.sessions.find_session(session_id)
               : std::nullopt;
  // Another user's session is indistinguishable from a missing one.
  if (!s || s->user_id != caller.id)
    return http_response::detail(404, "Not found.");
  return http_response::json(200, session_json(*s));
}

} // namespace tryon::net::rest
