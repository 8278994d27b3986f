#pragma once

#include <string>

namespace tryon::ctl {

/// Where an http:// URL given to tryonctl points.
struct http_url {
  std::string host, port = "80", path = "/";
};

/// Parses `http://host[:port][/path]`; throws std::runtime_error otherwise.
/// Apart from the socket code so that the fuzz build links it alone.
http_url parse_http_url(const std::string& url);

} // namespace tryon::ctl
