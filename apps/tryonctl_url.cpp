#include "apps/tryonctl_url.hpp"

#include <stdexcept>

namespace tryon::ctl {

http_url parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0)
    throw std::runtime_error("only http:// URLs are supported: " + url);
  http_url t;
  auto rest = url.substr(scheme.size());
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    t.path = rest.substr(slash);
    rest.resize(slash);
  }
  if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    t.port = rest.substr(colon + 1);
    rest.resize(colon);
  }
  t.host = rest;
  if (t.host.empty())
    throw std::runtime_error("no host in " + url);
  return t;
}

} // namespace tryon::ctl
