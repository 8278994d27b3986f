#pragma once

#include <chrono>
#include <string>

namespace tryon::ctl {

/// What a GET returned.
struct http_result {
  int status = 0;
  std::string body;
};

/// One blocking `GET url` (http://host[:port]/path only) with an optional
/// `Authorization: Token <token>`; throws std::runtime_error when the
/// server cannot be reached or answers something that is not HTTP.
http_result http_get(const std::string& url, const std::string& token,
                     std::chrono::seconds timeout = std::chrono::seconds(10));

} // namespace tryon::ctl
