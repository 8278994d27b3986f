#include "bench/harness/rest_client.hpp"

#include <stdexcept>

namespace tryon::bench {

namespace {

std::string describe(const http_reply& r) {
  if (r.status == 0)
    return r.error;
  std::string body = r.body.substr(0, 200);
  return "HTTP " + std::to_string(r.status) + ": " + body;
}

} // namespace

std::pair<std::string, std::string>
multipart_body(const std::vector<std::pair<std::string, std::string>>& fields,
               const std::string& file_field, const std::string& file_name,
               const std::string& file_type, const std::string& file_bytes) {
  const std::string boundary = "----tryon-bench-7d1f0c2b9a";
  std::string body;
  for (const auto& [name, value] : fields)
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" +
            name + "\"\r\n\r\n" + value + "\r\n";
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" +
          file_field + "\"; filename=\"" + file_name +
          "\"\r\nContent-Type: " + file_type + "\r\n\r\n";
  body += file_bytes;
  body += "\r\n--" + boundary + "--\r\n";
  return {"multipart/form-data; boundary=" + boundary, body};
}

std::optional<std::string> json_string_member(const std::string& text,
                                              const char* key) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object())
    return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || !it->is_string())
    return std::nullopt;
  return it->get<std::string>();
}

namespace {

std::shared_ptr<tls_client_context>
checked_tls(const bench_url& base, std::shared_ptr<tls_client_context> tls) {
  if (base.tls && !tls)
    throw std::invalid_argument("rest_client: " + base.scheme +
                                " base URL without a TLS context");
  return base.tls ? std::move(tls) : nullptr;
}

} // namespace

rest_client::rest_client(const bench_url& base, std::string token,
                         std::shared_ptr<tls_client_context> tls)
  : base_(base), token_(std::move(token)),
    http_(connect_address(base), base.port, host_header(base),
          std::chrono::seconds(15), checked_tls(base, std::move(tls)),
          base.host) {}

std::vector<std::pair<std::string, std::string>> rest_client::auth() const {
  return {{"Authorization", "Token " + token_}};
}

std::optional<std::string>
rest_client::create_session(std::int64_t post_id, const std::string& nail_url,
                            std::string& error) {
  nlohmann::json body = nlohmann::json::object();
  if (post_id > 0)
    body["nail_post_id"] = post_id;
  else
    body["nail_reference_url"] = nail_url;
  auto r =
      http_.request("POST", join_target(base_, "/api/try-on/session/create/"),
                    auth(), body.dump(), "application/json");
  if (r.status != 201) {
    error = describe(r);
    return std::nullopt;
  }
  auto id = json_string_member(r.body, "session_id");
  if (!id)
    error = "no session_id in " + r.body.substr(0, 200);
  return id;
}

std::optional<std::string> rest_client::upload_design(const std::string& jpeg,
                                                      std::string& error) {
  auto [type, body] =
      multipart_body({{"type", "nail_reference"}}, "file",
                     "tryon-bench-design.jpg", "image/jpeg", jpeg);
  auto r = http_.request("POST", join_target(base_, "/api/try-on/upload/"),
                         auth(), body, type);
  if (r.status != 201) {
    error = describe(r);
    return std::nullopt;
  }
  auto url = json_string_member(r.body, "url");
  if (!url)
    error = "no url in " + r.body.substr(0, 200);
  return url;
}

std::optional<nlohmann::json> rest_client::stats(std::string& error) {
  auto r =
      http_.request("GET", join_target(base_, "/api/try-on/stats/"), auth());
  if (r.status != 200) {
    error = describe(r);
    return std::nullopt;
  }
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded()) {
    error = "stats: not JSON";
    return std::nullopt;
  }
  return j;
}

} // namespace tryon::bench
