#include "net/rest/rest_context.hpp"

namespace tryon::net::rest {

namespace {

std::string content_type_for(const std::filesystem::path& p) {
  static const std::pair<const char*, const char*> types[] = {
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".png", "image/png"},
      {".webp", "image/webp"},
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  };
  auto ext = p.extension().string();
  for (auto& c : ext)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [e, type] : types)
    if (ext == e)
      return type;
  return "application/octet-stream";
}

http_response serve_file(const std::filesystem::path& file,
                         std::string cache_control) {
  http_response res;
  res.content_type = content_type_for(file);
  res.file = file;
  res.headers.emplace_back("Cache-Control", std::move(cache_control));
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return res;
}

} // namespace

http_response handle_media(rest_context& ctx, const http_request& req,
                           std::string_view rel_path) {
  if (req.method != "GET" && req.method != "HEAD")
    return method_not_allowed(req, "GET, HEAD");
  auto file = ctx.media.resolve(rel_path);
  if (!file)
    return http_response::detail(404, "Not found.");
  // Media names are server-chosen UUIDs and never rewritten in place.
  return serve_file(*file, "public, max-age=86400");
}

http_response handle_static(rest_context& ctx, const http_request& req) {
  if (!ctx.web_files)
    return http_response::detail(404, "Not found.");
  if (req.method != "GET" && req.method != "HEAD")
    return method_not_allowed(req, "GET, HEAD");
  std::string rel = req.path.substr(1);
  if (rel.empty() || rel.back() == '/')
    rel += "index.html";
  auto file = ctx.web_files->resolve(rel);
  if (!file)
    return http_response::detail(404, "Not found.");
  // The page itself must pick up a new deploy at once; assets may be cached
  // briefly.
  bool is_html = file->extension() == ".html";
  return serve_file(*file, is_html ? "no-cache" : "public, max-age=300");
}

} // namespace tryon::net::rest
