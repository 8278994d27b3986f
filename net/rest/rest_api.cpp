#include "net/rest/rest_api.hpp"

#include <spdlog/spdlog.h>

#include "net/rest/operator_handlers.hpp"
#include "net/rest/upload_handler.hpp"
#include "persistence/store_error.hpp"

namespace tryon::net::rest {

namespace {

// "/api/try-on/results/42/" with prefix "/api/try-on/results/" -> "42".
std::optional<std::string> one_segment(const std::string& path,
                                       std::string_view prefix) {
  if (path.size() <= prefix.size() + 1 ||
      path.compare(0, prefix.size(), prefix) != 0 || path.back() != '/')
    return std::nullopt;
  auto seg = path.substr(prefix.size(), path.size() - prefix.size() - 1);
  if (seg.find('/') != std::string::npos)
    return std::nullopt;
  return seg;
}

http_response options_response(std::string_view allow, std::string_view name) {
  auto res = http_response::json(
      200, {{"name", name},
            {"renders", {"application/json"}},
            {"parses", {"application/json", "multipart/form-data"}}});
  res.headers.emplace_back("Allow", std::string{allow});
  return res;
}

} // namespace

template <class F>
http_response rest_api::guarded(F&& f) {
  try {
    return f();
  } catch (const persistence::storage_full_error& e) {
    spdlog::error("storage full: {}", e.what());
    return http_response::error(507, storage_full_message);
  } catch (const persistence::store_error& e) {
    spdlog::error("store failure: {}", e.what());
    return http_response::detail(503, "Service temporarily unavailable.");
  } catch (const std::exception& e) {
    spdlog::error("handler failure: {}", e.what());
    return http_response::detail(500, "Internal server error.");
  }
}

http_response rest_api::handle(const http_request& req) {
  return guarded([&] { return route(req); });
}

http_response rest_api::handle_upload(const http_request& req,
                                      upload_sink* sink) {
  if (req.method == "OPTIONS")
    return options_response("POST, OPTIONS", "Upload");
  if (req.method != "POST")
    return method_not_allowed(req, "POST, OPTIONS");
  return guarded([&] { return finish_upload(ctx_, req, sink); });
}

std::variant<persistence::user, http_response>
rest_api::admit_upload(const http_request& req, std::uint64_t declared_bytes) {
  std::optional<persistence::user> who;
  auto res = guarded([&] {
    auto a = rest::admit_upload(ctx_, req, declared_bytes);
    if (auto* refused = std::get_if<http_response>(&a))
      return *refused;
    who = std::get<persistence::user>(a);
    return http_response{};
  });
  if (who)
    return *who;
  return res;
}

http_response rest_api::route(const http_request& req) {
  const auto& path = req.path;
  if (path == "/healthz")
    return http_response::json(200, {{"status", "ok"}});
  if (path == "/readyz")
    return handle_readyz(ctx_, req);
  if (path == "/metrics")
    return handle_metrics(ctx_, req);
  if (path == "/api/try-on/stats/")
    return handle_stats(ctx_, req);
  if (path == "/api/try-on/session/create/") {
    if (req.method == "OPTIONS")
      return options_response("POST, OPTIONS", "Create Session");
    return handle_session_create(ctx_, req);
  }
  if (path == upload_path)
    return handle_upload(req, nullptr);
  if (path == "/api/try-on/results/") {
    if (req.method == "OPTIONS")
      return options_response("GET, HEAD, OPTIONS", "Try On Result List");
    return handle_results(ctx_, req, nullptr);
  }
  if (auto id = one_segment(path, "/api/try-on/results/")) {
    if (req.method == "OPTIONS")
      return options_response("GET, HEAD, OPTIONS", "Try On Result Instance");
    return handle_results(ctx_, req, &*id);
  }
  if (auto id = one_segment(path, "/api/try-on/session/")) {
    if (req.method == "OPTIONS")
      return options_response("GET, HEAD, OPTIONS", "Session Detail");
    return handle_session_detail(ctx_, req, *id);
  }
  static constexpr std::string_view media_prefix = "/media/";
  if (path.compare(0, media_prefix.size(), media_prefix) == 0)
    return handle_media(ctx_, req,
                        std::string_view{path}.substr(media_prefix.size()));
  if (path.compare(0, 5, "/api/") != 0 && path.compare(0, 4, "/ws/") != 0)
    return handle_static(ctx_, req);
  return http_response::detail(404, "Not found.");
}

} // namespace tryon::net::rest
