#pragma once

// One HTTP/1.1 GET over http:// or https:// with Boost.Beast (Asio's SSL
// layer over OpenSSL for https): tryon-ai downloads nail references with
// it, tryonctl asks a server for its stats. One class template serves both
// schemes (the stream is its parameter); Beast stays in http_get.cpp.
//
//   resolve --> connect --> [TLS handshake] --> write --> read --> answer
//      |           |               |              |         |
//      +-----------+---------------+--------------+---------+--> error
//
// One deadline, `timeout` after the start, covers all the steps.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tryon::net {

struct tls_client_context;

/// What to GET and what it may cost.
struct http_get_request {
  bool tls = false;         ///< https: the peer is verified
  std::string host;         ///< a name or an IP literal (IPv6 unbracketed)
  std::string port = "80";  ///< decimal
  std::string target = "/"; ///< path [+ '?' + query]
  /// Sent besides Host, User-Agent and `Connection: close`.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string user_agent = "tryon";
  std::chrono::milliseconds timeout{5000}; ///< all the steps together
  std::size_t max_body_bytes = std::size_t{1} << 20;
};

/// The answer (any status, with its body), or why there is none.
struct http_get_result {
  unsigned status = 0; ///< 0: the GET failed, see `error`
  std::string body;
  /// "<step>: <reason>", the step one of resolve, connect, TLS handshake,
  /// write, read; the reason "timed out" past the deadline. Empty on
  /// success.
  std::string error;
  bool too_large = false; ///< the body passed max_body_bytes
};

/// Starts the GET on `ioc`; `done` runs exactly once, on an `ioc` thread.
/// An https request needs `tls`; redirects are not followed.
void async_http_get(boost::asio::io_context& ioc, http_get_request request,
                    std::shared_ptr<tls_client_context> tls,
                    std::function<void(http_get_result)> done);

/// The same GET, blocking the caller: it runs on an io_context of its own
/// (Beast's synchronous calls have no deadline).
http_get_result http_get(http_get_request request,
                         std::shared_ptr<tls_client_context> tls);

} // namespace tryon::net
