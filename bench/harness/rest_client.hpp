#pragma once

#include "bench/harness/bench_url.hpp"
#include "bench/harness/http_client.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace tryon::bench {

/// The REST calls the harness makes (PROTOCOL.md §2), with one token.
class rest_client {
public:
  /// Talks to the server at `base` as the owner of `token`; an https base
  /// needs `tls` (tls_context_for), else std::invalid_argument is thrown.
  rest_client(const bench_url& base, std::string token,
              std::shared_ptr<tls_client_context> tls = nullptr);

  /// POST session/create/ with a post id (> 0) or an uploaded design URL;
  /// the new session's id, or nullopt with `error` set.
  std::optional<std::string> create_session(std::int64_t post_id,
                                            const std::string& nail_url,
                                            std::string& error);

  /// POST upload/ (type nail_reference); the stored design's URL.
  std::optional<std::string> upload_design(const std::string& jpeg,
                                           std::string& error);

  /// GET stats/ (needs a staff token); the JSON object.
  std::optional<nlohmann::json> stats(std::string& error);

private:
  std::vector<std::pair<std::string, std::string>> auth() const;

  bench_url base_;
  std::string token_;
  http_client http_;
};

/// A multipart/form-data body with text fields and one file part:
/// {content type, body}.
std::pair<std::string, std::string>
multipart_body(const std::vector<std::pair<std::string, std::string>>& fields,
               const std::string& file_field, const std::string& file_name,
               const std::string& file_type, const std::string& file_bytes);

/// The value of string member `key` in a JSON object text, if any.
std::optional<std::string> json_string_member(const std::string& text,
                                              const char* key);

} // namespace tryon::bench
