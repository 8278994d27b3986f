#include "apps/tryonctl_http.hpp"

#include "config/url.hpp"
#include "net/http_get.hpp"
#include "net/tls_client.hpp"

#include <stdexcept>

namespace tryon::ctl {

http_result http_get(const std::string& url, const std::string& token,
                     const std::string& ca_file, std::chrono::seconds timeout) {
  auto parts = config::parse_url(url);
  if (!parts || (parts->scheme != "http" && parts->scheme != "https"))
    throw std::runtime_error("only http:// and https:// URLs are supported: " +
                             url);
  net::http_get_request req;
  req.tls = parts->scheme == "https";
  req.host = parts->host;
  req.port = std::to_string(parts->port);
  req.target = parts->target;
  req.headers.emplace_back("Accept", "application/json");
  if (!token.empty())
    req.headers.emplace_back("Authorization", "Token " + token);
  req.user_agent = "tryonctl";
  req.timeout = timeout;
  req.max_body_bytes = std::size_t{16} << 20;
  std::shared_ptr<net::tls_client_context> tls;
  if (req.tls) {
    std::string error;
    tls = net::make_tls_client_context(ca_file, error);
    if (!tls)
      throw std::runtime_error(url + ": " + error);
  }
  auto r = net::http_get(std::move(req), std::move(tls));
  if (r.status == 0)
    throw std::runtime_error(url + ": " + r.error);
  return {static_cast<int>(r.status), std::move(r.body)};
}

} // namespace tryon::ctl
