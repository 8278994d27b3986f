#include "apps/server_app.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/ai_link.hpp"
#include "actors/capture_supervisor.hpp"
#include "actors/expiry_sweeper.hpp"
#include "actors/gateway.hpp"
#include "actors/io_scheduler.hpp"
#include "actors/lease_keeper.hpp"
#include "actors/orphan_sweeper.hpp"
#include "actors/persister.hpp"
#include "actors/session_registry.hpp"
#include "actors/stats_supervisor.hpp"
#include "apps/actor_probes.hpp"
#include "apps/deferred_gateway.hpp"
#include "apps/node_shutdown.hpp"
#include "metrics/node_metrics.hpp"
#include "net/ai_client.hpp"
#include "net/http_server.hpp"
#include "net/rest/rest_api.hpp"
#include "net/ws_context.hpp"
#include "persistence/digest.hpp"
#include "persistence/file_media_store.hpp"
#include "persistence/live_session_limiter.hpp"
#include "persistence/pg_database.hpp"
#include "persistence/rate_limiter.hpp"
#include "persistence/redis_health_probe.hpp"
#include "persistence/redis_lease_store.hpp"
#include "persistence/redis_node_stats.hpp"
#include "tryon_version.hpp"

namespace tryon::apps {

namespace {

// How long shutdown lets clients answer their close frames: a phone that
// vanished never answers, and Beast would wait for it for 30 s.
constexpr std::chrono::milliseconds close_drain{2000};

sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// The database may still be starting when the server does (scripts start
// both): retry for a few seconds before giving up.
void migrate_with_retry(persistence::pg_database& db) {
  for (int attempt = 1;; ++attempt) {
    try {
      if (int n = db.migrate(); n > 0)
        spdlog::info("applied {} migration(s)", n);
      return;
    } catch (const std::exception& e) {
      if (attempt >= 20)
        throw;
      spdlog::warn("database not ready ({}); retrying", e.what());
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

caf::actor_system_config make_caf_config(const config::server_config& cfg) {
  caf::actor_system_config c;
  if (cfg.actor_threads == 0) {
    // Actors share the network threads: one actor's turn must not hold
    // the sockets for long, so a busy actor yields after 64 messages.
    actors::use_io_scheduler(c);
    c.set("scheduler.max-throughput", size_t{64});
  }
  c.set("scheduler.max-threads",
        static_cast<size_t>(std::max(cfg.actor_threads, 1)));
  // 'sharing' idles far cheaper than 'stealing' when timers are in use.
  c.set("scheduler.policy", caf::atom("sharing"));
  c.set("logger.console", caf::atom("none"));
  return c;
}

} // namespace

int run_server(const config::server_config& cfg) {
  // Block the signals before any thread starts, so only sigwait sees them.
  auto signals = termination_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  persistence::pg_database db{
      cfg.database_url, static_cast<std::size_t>(cfg.db_threads),
      persistence::pg_timeouts{cfg.db_connect_timeout,
                               cfg.db_statement_timeout}};
  migrate_with_retry(db);
  persistence::file_media_store media{cfg.media_root, cfg.public_url};
  // Uploads and captures cut short by a crash left their temp files.
  if (auto n = media.sweep_temp_files(std::chrono::minutes(10)))
    spdlog::info("removed {} leftover temp file(s) from {}", n,
                 media.temp_dir().string());
  std::unique_ptr<persistence::file_media_store> web;
  if (std::filesystem::is_directory(cfg.web_root))
    web = std::make_unique<persistence::file_media_store>(
        cfg.web_root, "", persistence::file_media_store::access::read_only);
  persistence::redis_health_probe redis{cfg.redis_url};
  persistence::redis_node_stats node_stats{cfg.redis_url};
  // Which node serves each live session, shared through Redis.
  persistence::redis_lease_store lease_store{cfg.redis_url};
  // Per-user quotas, shared by the nodes (docs/SECURITY.md). User ids are
  // the database's: keys carry a digest of its URL, so deployments (or test
  // databases) sharing one Redis do not share their users' buckets.
  auto users_ns = persistence::sha256_hex(cfg.database_url).substr(0, 16);
  persistence::redis_rate_limiter limiter{
      cfg.redis_url, std::chrono::milliseconds(250),
      std::chrono::milliseconds(2000), "tryon:rl:" + users_ns + ":"};
  persistence::redis_live_session_limiter live_limiter{
      cfg.redis_url, std::chrono::milliseconds(250),
      std::chrono::milliseconds(2000), "tryon:live:" + users_ns + ":"};
  // Outlive the actor system and the transport, which count into them.
  metrics::node_metrics metrics;
  metrics.set_build_info(tryon::version, tryon::commit);
  actors::capture_saver saver{media, db.results};

  auto caf_cfg = make_caf_config(cfg);
  caf::actor_system sys{caf_cfg};
  actors::session_env env;
  env.metrics = &metrics;
  env.persister = sys.spawn<caf::detached>(actors::make_persister, &db.sessions,
                                           std::chrono::milliseconds{1000},
                                           std::size_t{10000});
  env.capture =
      sys.spawn(actors::make_capture_supervisor, &saver, &metrics,
                actors::capture_config{
                    static_cast<std::size_t>(cfg.capture_queue),
                    static_cast<std::size_t>(cfg.capture_queue_per_user)});
  if (cfg.captures_per_minute > 0)
    env.capture_limit =
        persistence::bucket_limit{static_cast<double>(cfg.captures_burst),
                                  cfg.captures_per_minute / 60.0};
  env.frame_timeout = cfg.ai_frame_timeout;
  env.max_frame_size = cfg.max_frame_size;
  env.stats_interval = cfg.stats_interval;

  // The access log counts requests into `metrics`.
  net::rest::rest_context ctx{cfg,         db.users,   db.posts, db.uploads,
                              db.sessions, db.results, media,    web.get(),
                              {},          {},         {}};
  ctx.limiter = &limiter;
  ctx.metrics = &metrics;
  ctx.live_sessions = &live_limiter;
  net::rest::rest_api api{ctx};
  // The transport comes first: the AI link's channels run on its I/O
  // context, so the gateway is plugged in once the actors exist.
  std::unique_ptr<net::http_server> http;
  auto proxy = std::make_unique<deferred_gateway>();
  auto ws = net::make_ws_endpoint(net::ws_context{
      api.context(), *proxy,
      [&http](std::function<void()> fn) { http->post_blocking(std::move(fn)); },
      &metrics});
  http = std::make_unique<net::http_server>(cfg, api, ws.get());

  actors::ai_link_config link_cfg;
  link_cfg.url = cfg.ai_service_url;
  link_cfg.connections = cfg.ai_connections;
  link_cfg.credits = cfg.ai_credits;
  link_cfg.grace_period = cfg.ai_grace_period;
  link_cfg.init_timeout = cfg.ai_init_timeout;
  link_cfg.reference_for_ai = [cfg](const std::string& url) {
    return cfg.reference_for_ai(url);
  };
  net::ai_client_limits ai_limits;
  ai_limits.ping_timeout = cfg.ai_ping_timeout;
  env.ai_link = sys.spawn(
      actors::make_ai_link, link_cfg,
      net::make_ai_channel_factory(http->io_context_handle(), ai_limits));
  actors::lease_config leases{&lease_store, cfg.node_id, cfg.session_lease_ttl};
  auto keeper = sys.spawn<caf::detached>(actors::make_lease_keeper, leases);
  // Take-over notices from other nodes: the older connection closes at once.
  auto notices = actors::subscribe_notices(leases, keeper);
  auto registry = sys.spawn(actors::make_session_registry, env, keeper);
  actors::actor_gateway gateway{sys, registry, leases};
  proxy->set(&gateway);

  node_actors node{registry, keeper, env.capture, env.persister,
                   {},       {},     env.ai_link, {}};
  node.orphans = sys.spawn<caf::detached>(
      actors::make_orphan_sweeper,
      actors::orphan_config{&db.sessions, &lease_store, cfg.session_lease_ttl,
                            1000});
  node.sweeper = sys.spawn<caf::detached>(
      actors::make_expiry_sweeper, &db.sessions,
      std::chrono::milliseconds{cfg.expiry_sweep_interval}, &metrics);
  node.stats = sys.spawn<caf::detached>(
      actors::make_stats_supervisor,
      actors::stats_config{cfg.node_id, cfg.stats_interval, registry,
                           env.ai_link, &db.sessions, &node_stats, &metrics});

  ai_link_probe ai_probe{sys, env.ai_link};
  api.context().probes = {
      {"postgresql", &db.health}, {"redis", &redis}, {"ai_service", &ai_probe}};
  api.context().live_stats = [&] { return live_stats(sys, node.stats); };
  api.context().metrics_text = [&] {
    return metrics_text(sys, node.stats, metrics);
  };

  http->start();
  // The actors run on the network threads from here on (declared after
  // `http`: they leave them before the transport goes, however this ends).
  actors::job_runner_attachment on_network{sys, http->io_job_runner()};
  spdlog::info("tryon-server {} listening on {}:{} (version {}, commit {})",
               cfg.node_id, cfg.listen_address, http->port(), tryon::version,
               tryon::commit);

  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("signal {}: shutting down (deadline {} s)", sig,
               cfg.shutdown_deadline.count());
  // A watchdog: whatever hangs, the process ends within the deadline.
  std::thread([deadline = cfg.shutdown_deadline] {
    std::this_thread::sleep_for(deadline + std::chrono::seconds(2));
    spdlog::error("shutdown deadline passed; exiting");
    std::_Exit(1);
  }).detach();
  auto budget = std::chrono::duration_cast<std::chrono::milliseconds>(
      cfg.shutdown_deadline);
  http->stop_accepting();
  proxy->set(nullptr);
  notices.reset();
  shutdown_actors(sys, node, budget);
  // The sessions have queued their close frames (1001), maybe behind a
  // frame still being written: stopping the I/O threads now would cut
  // those connections without a close frame.
  if (auto left = http->drain_websockets(
          std::min<std::chrono::milliseconds>(budget / 4, close_drain)))
    spdlog::warn("shutdown: {} WebSocket connection(s) still closing", left);
  // Actors still alive run on the scheduler's own thread from here on.
  on_network.detach();
  http->stop();
  // Connections still pending in the I/O context refer to the WebSocket
  // endpoint: destroy them (with the server) while it is still alive.
  http.reset();
  spdlog::info("stopped");
  return 0;
}

} // namespace tryon::apps
