#include "ai_service/ai_server.hpp"

#include "ai_service/ai_connection.hpp"
#include "ai_service/ai_metrics.hpp"
#include "ai_service/capacity_board.hpp"
#include "ai_service/http_fetch.hpp"
#include "ai_service/service_context.hpp"
#include "ai_service/session_registry.hpp"
#include "ai_service/worker_pool.hpp"
#include "net/tls_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <functional>

namespace tryon::ai {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Accepts connections forever, each on its own strand, with TCP_NODELAY
// (frames are latency-bound, Nagle would hold back small replies).
void do_accept(tcp::acceptor& acceptor, net::io_context& ioc,
               service_context& ctx) {
  acceptor.async_accept(
      net::make_strand(ioc),
      [&acceptor, &ioc, &ctx](boost::system::error_code ec, tcp::socket s) {
        if (ec == net::error::operation_aborted || !acceptor.is_open())
          return;
        if (ec) {
          spdlog::warn("accept: {}", ec.message());
        } else {
          boost::system::error_code ignored;
          s.set_option(tcp::no_delay(true), ignored);
          start_connection(std::move(s), ctx);
        }
        do_accept(acceptor, ioc, ctx);
      });
}

bool open_acceptor(tcp::acceptor& acceptor, const service_options& opts) {
  boost::system::error_code ec;
  const auto address = net::ip::make_address(opts.listen, ec);
  if (ec) {
    spdlog::error("bad listen address '{}': {}", opts.listen, ec.message());
    return false;
  }
  const tcp::endpoint endpoint{address, opts.port};
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    spdlog::error("cannot listen on {}:{}: {}", opts.listen, opts.port,
                  ec.message());
    return false;
  }
  return true;
}

} // namespace

int run_server(const service_options& opts) {
  // Declared first, destroyed last: pending handlers own connections.
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  if (!open_acceptor(acceptor, opts))
    return 1;
  session_registry sessions;
  auto metrics = std::make_shared<ai_metrics>();
  metrics->workers(opts.threads);
  worker_pool pool{opts.threads};
  // References download asynchronously on the IO thread, https included
  // (net/http_get): a slow host holds up neither other downloads nor frames.
  std::string tls_error;
  auto tls = tryon::net::make_tls_client_context(opts.ca_file, tls_error);
  if (!tls) {
    spdlog::error("https references: {}", tls_error);
    return 1;
  }
  const auto timeout = std::chrono::milliseconds(opts.fetch_timeout_ms);
  auto capacity = std::make_shared<capacity_board>(static_cast<std::size_t>(
      opts.capacity < 0 ? opts.threads : opts.capacity));
  service_context ctx{
      opts,
      pool,
      sessions,
      [&ioc, tls, timeout, max = opts.max_reference_bytes](
          const reference_url& url,
          std::function<void(pipeline_result<std::string>)> done) {
        fetch_http(ioc, tls, url, timeout, max, std::move(done));
      },
      metrics,
      capacity};

  net::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec)
      return;
    spdlog::info("signal {}: shutting down", sig);
    boost::system::error_code ignored;
    acceptor.close(ignored);
    ioc.stop();
  });

  do_accept(acceptor, ioc, ctx);
  const auto bound = acceptor.local_endpoint();
  spdlog::info("tryon-ai listening on ws://{}:{}/ws/tryon ({} worker{}{})",
               bound.address().to_string(), bound.port(), opts.threads,
               opts.threads == 1 ? "" : "s",
               opts.passthrough ? ", passthrough"
               : opts.delay_ms > 0
                   ? ", +" + std::to_string(opts.delay_ms) + " ms per frame"
                   : std::string{});
  ioc.run();
  // Workers finish the frame in hand; queued work is dropped. Connections
  // still referenced by handlers die with the io_context.
  pool.stop();
  spdlog::info("stopped ({} sessions open)", sessions.size());
  return 0;
}

} // namespace tryon::ai
