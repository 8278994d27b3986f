#pragma once

#include <chrono>
#include <string>

namespace tryon::ctl {

/// What a GET returned.
struct http_result {
  int status = 0;
  std::string body;
};

/// One blocking `GET url` (http:// or https://, libcurl) with an optional
/// `Authorization: Token <token>`. https:// peers are verified against the
/// system's CAs, or against `ca_file` (PEM) when it is not empty. Throws
/// std::runtime_error when the server cannot be reached or does not answer.
http_result http_get(const std::string& url, const std::string& token,
                     const std::string& ca_file = {},
                     std::chrono::seconds timeout = std::chrono::seconds(10));

} // namespace tryon::ctl
