#include "ai_service/http_fetch.hpp"

#include "net/http_get.hpp"

namespace tryon::ai {

void fetch_http(boost::asio::io_context& ioc,
                std::shared_ptr<net::tls_client_context> tls,
                const reference_url& url, std::chrono::milliseconds timeout,
                std::size_t max_bytes,
                std::function<void(pipeline_result<std::string>)> done) {
  net::http_get_request req;
  req.tls = url.scheme == reference_url::kind::https;
  req.host = url.host;
  req.port = url.port;
  req.target = url.target;
  req.user_agent = "tryon-ai";
  req.timeout = timeout;
  req.max_body_bytes = max_bytes;
  if (!req.tls)
    tls = nullptr;
  net::async_http_get(
      ioc, std::move(req), std::move(tls),
      [text = to_string(url), done = std::move(done)](net::http_get_result r) {
        if (r.too_large)
          return done(pipeline_error{"fetching " + text +
                                     ": larger than the reference limit"});
        if (r.status == 0)
          return done(pipeline_error{"fetching " + text + ": " + r.error});
        if (r.status != 200)
          return done(pipeline_error{"HTTP " + std::to_string(r.status) +
                                     " for " + text});
        done(std::move(r.body));
      });
}

} // namespace tryon::ai
