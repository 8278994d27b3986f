#include "net/rest/rest_context.hpp"

#include "config/url.hpp"

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
  return res;
}

// The page loads only its own scripts and styles (no inline code: an
// injected <script> does not run), talks only to this server, and may not
// be framed (clickjacking). Media may live on TRYON_PUBLIC_URL's origin.
std::string content_security_policy(const config::server_config& cfg) {
  std::string media;
  if (auto origin = config::origin_of(cfg.public_url))
    media = " " + *origin;
  return "default-src 'self'; script-src 'self'; style-src 'self'; "
         "img-src 'self' blob: data:" +
         media +
         "; media-src 'self' blob:; connect-src 'self' ws: wss:" + media +
         "; object-src 'none'; base-uri 'none'; form-action 'self'; "
         "frame-ancestors 'none'";
}

} // namespace

http_response handle_media(rest_context& ctx, const http_request& req,
                           std::string_view rel_path) {
  if (req.method != "GET" && req.method != "HEAD")
    return method_not_allowed(req, "GET, HEAD");
  auto file = ctx.media.resolve(rel_path);
  if (!file)
    return http_response::detail(404, "Not found.");
  // Media names are server-chosen UUIDs and never rewritten in place; they
  // are users' pictures, so shared caches (proxies, CDNs) must not keep them.
  return serve_file(*file, "private, max-age=86400");
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
  auto res = serve_file(*file, is_html ? "no-cache" : "public, max-age=300");
  if (is_html) {
    res.headers.emplace_back("Content-Security-Policy",
                             content_security_policy(ctx.cfg));
    res.headers.emplace_back("X-Frame-Options", "DENY");
    res.headers.emplace_back("Referrer-Policy", "no-referrer");
  }
  return res;
}

} // namespace tryon::net::rest
