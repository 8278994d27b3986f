#pragma once

#include <chrono>
#include <string>

namespace tryon::ctl {

/// What a GET returned.
struct http_result {
  int status = 0;
  std::string body;
};

/// One blocking `GET url` (http:// or https://, net/http_get.hpp) with
/// `Accept: application/json` and an optional `Authorization: Token
/// <token>`. https:// peers are verified against the system's CAs, or
/// against `ca_file` (PEM) when it is not empty. Throws std::runtime_error
/// when the server cannot be reached, does not answer within `timeout` or
/// answers more than 16 MiB.
http_result http_get(const std::string& url, const std::string& token,
                     const std::string& ca_file = {},
                     std::chrono::seconds timeout = std::chrono::seconds(10));

} // namespace tryon::ctl
