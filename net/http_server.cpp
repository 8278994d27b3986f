#include "net/http_server.hpp"

#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "net/http_session.hpp"
#include "net/io_job_runner.hpp"
#include "net/ws_endpoint.hpp"

namespace tryon::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// With one I/O thread, Asio queues what a handler posts on that thread
// privately: the actor jobs it posts then cost no lock.
int io_concurrency_hint(int io_threads) {
  return io_threads == 1 ? 1 : BOOST_ASIO_CONCURRENCY_HINT_DEFAULT;
}

} // namespace

struct http_server::impl {
  impl(const config::server_config& c, rest::rest_api& api, ws_endpoint* ws)
    : cfg(c), ioc(io_concurrency_hint(c.io_threads)),
      blocking(static_cast<std::size_t>(c.db_threads)), env{api, ws, blocking},
      acceptor(asio::make_strand(ioc)), runner(make_io_job_runner(ioc)) {}

  void do_accept() {
    acceptor.async_accept(
        asio::make_strand(ioc),
        [this](boost::system::error_code ec, tcp::socket s) {
          if (ec) {
            if (ec != asio::error::operation_aborted)
              spdlog::warn("accept: {}", ec.message());
            if (!acceptor.is_open())
              return;
          } else {
            // Nagle + delayed ACK stalls 60 KB frames ~40 ms.
            s.set_option(tcp::no_delay(true), ec);
            std::make_shared<http_session>(std::move(s), env)->run();
          }
          do_accept();
        });
  }

  const config::server_config& cfg;
  asio::io_context ioc;
  asio::thread_pool blocking;
  http_session::shared env;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>>
      work;
  std::unique_ptr<actors::job_runner> runner;
};

http_server::http_server(const config::server_config& cfg, rest::rest_api& api,
                         ws_endpoint* ws)
  : impl_(std::make_unique<impl>(cfg, api, ws)) {}

http_server::~http_server() {
  stop();
}

void http_server::start() {
  auto& d = *impl_;
  tcp::endpoint ep{asio::ip::make_address(d.cfg.listen_address), d.cfg.port};
  d.acceptor.open(ep.protocol());
  d.acceptor.set_option(asio::socket_base::reuse_address(true));
  d.acceptor.bind(ep);
  d.acceptor.listen(asio::socket_base::max_listen_connections);
  d.do_accept();
  d.work = std::make_unique<
      asio::executor_work_guard<asio::io_context::executor_type>>(
      d.ioc.get_executor());
  for (int i = 0; i < d.cfg.io_threads; ++i)
    d.threads.emplace_back([&d] { d.ioc.run(); });
}

std::uint16_t http_server::port() const {
  boost::system::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

void http_server::stop_accepting() {
  asio::post(impl_->acceptor.get_executor(), [this] {
    boost::system::error_code ec;
    impl_->acceptor.close(ec);
  });
}

std::size_t http_server::drain_websockets(std::chrono::milliseconds deadline) {
  auto* ws = impl_->env.ws;
  if (!ws)
    return 0;
  auto until = std::chrono::steady_clock::now() + deadline;
  // Polling is enough: this runs once, at shutdown, and a closing
  // handshake takes a round trip.
  while (ws->open_connections() > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return ws->open_connections();
}

void http_server::stop() {
  auto& d = *impl_;
  if (d.threads.empty())
    return;
  d.work.reset();
  d.ioc.stop();
  for (auto& t : d.threads)
    t.join();
  d.threads.clear();
  d.blocking.join();
}

void http_server::post_blocking(std::function<void()> fn) {
  asio::post(impl_->blocking, std::move(fn));
}

void* http_server::io_context_handle() {
  return &impl_->ioc;
}

actors::job_runner& http_server::io_job_runner() {
  return *impl_->runner;
}

} // namespace tryon::net
