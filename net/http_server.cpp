#include "net/http_server.hpp"

#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "net/admission.hpp"
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

// Out of descriptors or kernel memory: accepting again at once fails
// again at once (and spins), so the loop pauses.
constexpr auto accept_backoff = std::chrono::milliseconds(50);
// Repeated accept failures and refusals are logged once per interval.
constexpr auto log_interval = std::chrono::seconds(1);

bool out_of_resources(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec.value() == ENFILE ||
         ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

constexpr std::string_view refusal = "HTTP/1.1 503 Service Unavailable\r\n"
                                     "Server: tryon-server\r\n"
                                     "Content-Type: application/json\r\n"
                                     "Retry-After: 1\r\n"
                                     "Content-Length: 34\r\n"
                                     "Connection: close\r\n\r\n"
                                     "{\"detail\":\"Too many connections.\"}";

std::vector<config::address_range>
parse_ranges(const std::vector<std::string>& texts) {
  std::vector<config::address_range> out;
  for (const auto& t : texts)
    if (auto r = config::parse_address_range(t))
      out.push_back(*r);
  return out;
}

std::size_t connection_cap(const config::server_config& cfg) {
  auto limit = raise_descriptor_limit();
  auto fitting =
      default_connection_cap(limit, cfg.db_threads, cfg.ai_connections);
  if (cfg.max_connections == 0)
    return fitting;
  if (cfg.max_connections > fitting)
    spdlog::warn("max connections {} exceeds what {} descriptors leave ({})",
                 cfg.max_connections, limit, fitting);
  return cfg.max_connections;
}

} // namespace

struct http_server::impl {
  impl(const config::server_config& c, rest::rest_api& api, ws_endpoint* ws)
    : cfg(c), ioc(io_concurrency_hint(c.io_threads)),
      blocking(static_cast<std::size_t>(c.db_threads)),
      env{api, ws, blocking, nullptr, parse_ranges(c.trusted_proxies)},
      acceptor(asio::make_strand(ioc)), backoff(acceptor.get_executor()),
      admin_env(env), admin_acceptor(asio::make_strand(ioc)),
      admin_backoff(admin_acceptor.get_executor()),
      runner(make_io_job_runner(ioc)) {
    admin_env.probes_only = true;
  }

  // The admin listener: probes only, no caps (it is the operator's, on an
  // address of the operator's choosing), its own accept queue.
  void do_admin_accept() {
    admin_acceptor.async_accept(
        asio::make_strand(ioc),
        [this](boost::system::error_code ec, tcp::socket s) {
          if (!admin_acceptor.is_open() || ec == asio::error::operation_aborted)
            return;
          if (ec)
            return accept_after_backoff(admin_backoff, admin_acceptor,
                                        [this] { do_admin_accept(); });
          boost::system::error_code opt_ec;
          s.set_option(tcp::no_delay(true), opt_ec);
          auto ep = s.remote_endpoint(opt_ec);
          std::make_shared<http_session>(std::move(s), admin_env, nullptr,
                                         opt_ec ? std::string{}
                                                : ep.address().to_string())
              ->run();
          do_admin_accept();
        });
  }

  void do_accept() {
    acceptor.async_accept(
        asio::make_strand(ioc),
        [this](boost::system::error_code ec, tcp::socket s) {
          if (!acceptor.is_open() || ec == asio::error::operation_aborted)
            return;
          if (!ec)
            return admit(std::move(s));
          if (auto n = accept_errors.note(std::chrono::steady_clock::now()))
            spdlog::warn("accept failed {} time(s) in the last {} s: {}", *n,
                         log_interval.count(), ec.message());
          if (!out_of_resources(ec))
            return do_accept();
          accept_after_backoff(backoff, acceptor, [this] { do_accept(); });
        });
  }

  // Accepts again after accept_backoff (out of descriptors, an immediate
  // retry would spin), unless the listener closed in the meantime.
  template <class Accept>
  static void accept_after_backoff(asio::steady_timer& timer,
                                   tcp::acceptor& listener, Accept accept) {
    timer.expires_after(accept_backoff);
    timer.async_wait([&listener, accept](boost::system::error_code ec) {
      if (!ec && listener.is_open())
        accept();
    });
  }

  // Runs on the acceptor's strand.
  void admit(tcp::socket s) {
    boost::system::error_code ec;
    auto ep = s.remote_endpoint(ec);
    std::string peer = ec ? std::string{} : ep.address().to_string();
    // A trusted proxy's connections count only toward the node's total:
    // each request names its client (http_session).
    bool proxied = is_trusted(peer, env.trusted_proxies);
    auto [verdict, slot] = admission->admit(proxied ? std::string{} : peer);
    if (!slot) {
      refuse(std::move(s), verdict);
    } else {
      // Nagle + delayed ACK stalls 60 KB frames ~40 ms.
      s.set_option(tcp::no_delay(true), ec);
      std::make_shared<http_session>(std::move(s), env, std::move(slot),
                                     std::move(peer))
          ->run();
    }
    do_accept();
  }

  // Costs one non-blocking send and a close: no session, no buffer.
  void refuse(tcp::socket s, connection_admission::verdict why) {
    if (auto n = refusals.note(std::chrono::steady_clock::now()))
      spdlog::warn("refused {} connection(s) in the last {} s ({}; {} open)",
                   *n, log_interval.count(),
                   why == connection_admission::verdict::node_full
                       ? "node full"
                       : "too many from one address",
                   admission->open());
    boost::system::error_code ec;
    s.non_blocking(true, ec);
    s.write_some(asio::buffer(refusal.data(), refusal.size()), ec);
    s.shutdown(tcp::socket::shutdown_send, ec);
    // Whatever the client already sent would turn the close into a reset
    // that can overtake the answer: drain what is there first.
    char sink[4096];
    s.read_some(asio::buffer(sink), ec);
    s.close(ec);
  }

  const config::server_config& cfg;
  // Declared before the I/O context: sessions destroyed with it give their
  // slots back.
  std::unique_ptr<connection_admission> admission;
  asio::io_context ioc;
  asio::thread_pool blocking;
  http_session::shared env;
  tcp::acceptor acceptor;
  asio::steady_timer backoff;
  event_tally accept_errors{log_interval};
  event_tally refusals{log_interval};
  http_session::shared admin_env;
  tcp::acceptor admin_acceptor;
  asio::steady_timer admin_backoff;
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
  d.admission = std::make_unique<connection_admission>(
      connection_cap(d.cfg), d.cfg.max_connections_per_address);
  d.env.admission = d.admission.get();
  spdlog::info("admitting up to {} connections, {} per address",
               d.admission->max_total(), d.cfg.max_connections_per_address);
  tcp::endpoint ep{asio::ip::make_address(d.cfg.listen_address), d.cfg.port};
  d.acceptor.open(ep.protocol());
  d.acceptor.set_option(asio::socket_base::reuse_address(true));
  d.acceptor.bind(ep);
  d.acceptor.listen(asio::socket_base::max_listen_connections);
  d.do_accept();
  if (d.cfg.admin_port != 0) {
    tcp::endpoint admin{asio::ip::make_address(d.cfg.admin_address),
                        d.cfg.admin_port};
    d.admin_acceptor.open(admin.protocol());
    d.admin_acceptor.set_option(asio::socket_base::reuse_address(true));
    d.admin_acceptor.bind(admin);
    d.admin_acceptor.listen(asio::socket_base::max_listen_connections);
    d.do_admin_accept();
    spdlog::info("probes (/healthz, /readyz, /metrics) also on {}:{}",
                 d.cfg.admin_address, d.cfg.admin_port);
  }
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
  // The admin listener stays open: the probes keep answering while the
  // node drains.
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
