#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace tryon::net {

/// A parsed HTTP request, free of Beast so that the REST logic compiles
/// and tests without it.
struct http_request {
  std::string method; ///< upper case: "GET", "POST", ...
  std::string target; ///< as received: path + query
  std::string path;   ///< percent-decoded path, without the query
  std::map<std::string, std::string> query; ///< decoded query parameters
  std::vector<std::pair<std::string, std::string>>
      headers; ///< lower-case names
  std::string body;
  /// The peer's IP address as text ("127.0.0.1", "::1"); empty if unknown.
  std::string remote_address;

  /// The first header named `name` (lower case), if any.
  std::optional<std::string> header(std::string_view name) const;
};

/// A response the transport writes: either `body` or the contents of `file`.
struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::filesystem::path> file;
  bool close = false; ///< close the connection after writing

  /// A JSON response.
  static http_response json(unsigned status, const nlohmann::json& body);

  /// A JSON `{"detail": text}` response (DRF's error shape).
  static http_response detail(unsigned status, std::string_view text);

  /// A JSON `{"error": text}` response (the original views' error shape).
  static http_response error(unsigned status, std::string_view text);
};

/// Fills path and query from target (config::percent_decode, '+' as a space
/// in the query); false when the target is malformed.
bool split_target(http_request& req);

} // namespace tryon::net
