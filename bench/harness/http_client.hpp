#pragma once

#include "bench/harness/tls_client.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tryon::bench {

/// An HTTP answer, or why there is none (`status` 0).
struct http_reply {
  unsigned status = 0;
  std::string body;
  std::string error; ///< transport failure, empty on success
};

/// A blocking HTTP/1.1 client on one keep-alive connection (reconnects
/// once when the server closed it), over TLS when given a context. Not
/// thread-safe: one per thread.
class http_client {
public:
  /// Talks to `address`:`port` (an IP literal), sending `host_header`;
  /// with `tls`, over https verifying the certificate against `tls_host`.
  http_client(std::string address, std::uint16_t port, std::string host_header,
              std::chrono::seconds timeout = std::chrono::seconds(15),
              std::shared_ptr<tls_client_context> tls = nullptr,
              std::string tls_host = {});
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// One request; `content_type` only matters with a body.
  http_reply
  request(const std::string& method, const std::string& target,
          const std::vector<std::pair<std::string, std::string>>& headers,
          const std::string& body = {}, const std::string& content_type = {});

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tryon::bench
