#include "bench/harness/bench_options.hpp"

#include "bench/harness/bench_url.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>

namespace tryon::bench {

namespace {

// Hard limits: the harness is a bounded load on loopback, not a flood tool.
constexpr int max_sessions = 20000;
constexpr double max_fps = 120;
constexpr double max_duration_s = 3600;
constexpr std::uint64_t max_frames = 1000000;

const std::map<std::string, bench_mode> mode_names{
    {"stream", bench_mode::stream},
    {"idle", bench_mode::idle},
    {"slow-reader", bench_mode::slow_reader},
    {"direct", bench_mode::direct},
    {"takeover", bench_mode::takeover}};

const std::map<std::string, frame_resolution> resolution_names{
    {"480p", frame_resolution::p480},
    {"720p", frame_resolution::p720},
    {"mixed", frame_resolution::mixed}};

std::string check_loopback(const std::string& flag, const std::string& url,
                           const char* scheme, const std::string& allow_host) {
  auto u = parse_bench_url(url);
  if (!u || plain_scheme(*u) != scheme)
    return flag + ": expected " + scheme + "://host:port/... or " + scheme +
           "s://..., got '" + url + "'";
  if (!is_loopback_host(u->host) &&
      (allow_host.empty() || u->host != allow_host))
    return flag + ": refusing non-loopback host '" + u->host +
           "' (tryon-bench only loads 127.0.0.1, ::1 or localhost, or the "
           "--allow-host peer of a point-to-point link)";
  return {};
}

} // namespace

std::string_view to_string(bench_mode mode) {
  for (const auto& [name, m] : mode_names)
    if (m == mode)
      return name;
  return "?";
}

std::string_view to_string(frame_resolution res) {
  for (const auto& [name, r] : resolution_names)
    if (r == res)
      return name;
  return "?";
}

std::string validate_options(bench_options& opt) {
  if (!opt.allow_host.empty() &&
      !is_point_to_point_peer(opt.allow_host, local_ipv4_addresses()))
    return "--allow-host: '" + opt.allow_host +
           "' is not a private IPv4 address at the far end of a /30 or /31 "
           "link of this network namespace (bench/uplink/run.sh makes one)";
  if (auto e = check_loopback("--url", opt.url, "http", opt.allow_host);
      !e.empty())
    return e;
  if (auto e = check_loopback("--ai-url", opt.ai_url, "ws", opt.allow_host);
      !e.empty())
    return e;
  const bool direct = opt.mode == bench_mode::direct;
  if (parse_bench_url(direct ? opt.ai_url : opt.url)->tls) {
    if (opt.ca_file.empty())
      return std::string{direct ? "--ai-url" : "--url"} +
             " is https/wss: --ca-file (or TRYON_CA_FILE) must name the CA "
             "certificate the server's chains to";
    if (std::ifstream probe{opt.ca_file}; !probe)
      return "--ca-file: cannot read '" + opt.ca_file + "'";
  }
  if (opt.mode != bench_mode::direct && opt.token.empty())
    return "--token is required (create one with: tryonctl user create NAME "
           "--staff)";
  if (opt.stats_token.empty())
    opt.stats_token = opt.token;
  if (opt.reconnect && opt.mode != bench_mode::stream &&
      opt.mode != bench_mode::slow_reader)
    return "--reconnect works in stream and slow-reader modes";
  if (opt.mode == bench_mode::takeover)
    opt.sessions = 1; // one session, taken over again and again
  if (opt.mode == bench_mode::idle && opt.ping_interval_s < 0.1)
    return "--ping-interval must be at least 0.1 s";
  if (opt.ramp_s < 0)
    opt.ramp_s = std::ceil(opt.sessions / 200.0);
  if (opt.frame_kb == 0)
    opt.frame_kb = opt.resolution == frame_resolution::p480 ? 35 : 60;
  if (opt.rcvbuf == 0 && opt.mode == bench_mode::slow_reader)
    opt.rcvbuf = 16384;
  if (opt.mode != bench_mode::slow_reader)
    opt.read_delay_ms = 0;
  if (opt.mode == bench_mode::idle)
    opt.warmup_s = 0;
  if (opt.stream_hints && opt.mode != bench_mode::stream)
    return "--stream-hints works in stream mode only";
  if (opt.idle_init && opt.mode != bench_mode::idle)
    return "--init applies to idle mode only (the others always init)";
  return {};
}

options_outcome parse_bench_options(int argc, const char* const* argv) {
  bench_options o;
  std::string mode = "stream";
  std::string res = "720p";
  CLI::App app{"tryon-bench: load harness for tryon-server (loopback only, "
               "or the --allow-host end of a veth pair)"};
  app.add_option("mode", mode,
                 "stream | idle | slow-reader | direct | takeover")
      ->check(CLI::IsMember(
          {"stream", "idle", "slow-reader", "direct", "takeover"}));
  app.add_option("--url", o.url, "server base URL (http://127.0.0.1:8000)");
  app.add_option("--ai-url", o.ai_url, "AI service WebSocket (direct mode)");
  app.add_option("--allow-host", o.allow_host,
                 "also load this host: a private IPv4 address at the far end "
                 "of a /30 or /31 link of this network namespace (the veth "
                 "pair of bench/uplink/run.sh)");
  if (const char* ca = std::getenv("TRYON_CA_FILE"))
    o.ca_file = ca;
  app.add_option("--ca-file", o.ca_file,
                 "CA certificate for https/wss URLs (default $TRYON_CA_FILE)");
  app.add_option("--token", o.token, "API token of the user owning sessions");
  app.add_option("--stats-token", o.stats_token,
                 "staff token for /api/try-on/stats/ (default --token)");
  app.add_option("--post-id", o.post_id,
                 "nail post id; without it a generated design is uploaded")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 53));
  app.add_option("--design-url", o.design_url,
                 "direct mode: nail reference URL (default: a generated "
                 "design as file://)");
  app.add_option("--sessions", o.sessions, "sessions (phones)")
      ->check(CLI::Range(1, max_sessions));
  app.add_option("--fps", o.fps, "frames per second per session")
      ->check(CLI::Range(0.1, max_fps));
  app.add_option("--duration", o.duration_s, "measured seconds")
      ->check(CLI::Range(1.0, max_duration_s));
  app.add_option("--frames", o.frames,
                 "stop each session after this many measured frames")
      ->check(CLI::Range(std::uint64_t{0}, max_frames));
  app.add_option("--warmup", o.warmup_s, "seconds streamed before measuring")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--ramp", o.ramp_s,
                 "seconds over which sessions connect (default sessions/200)")
      ->check(CLI::Range(0.0, 600.0));
  app.add_option("--jitter", o.jitter, "send-time jitter, fraction of 1/fps")
      ->check(CLI::Range(0.0, 0.5));
  app.add_option("--resolution", res, "480p | 720p | mixed")
      ->check(CLI::IsMember({"480p", "720p", "mixed"}));
  app.add_option("--frame-kb", o.frame_kb,
                 "target JPEG size in KB (default 35 at 480p, 60 at 720p)")
      ->check(CLI::Range(20, 200));
  app.add_option("--threads", o.threads, "io_context threads")
      ->check(CLI::Range(1, 4));
  app.add_option("--server-pid", o.server_pid, "server PID to sample in /proc")
      ->check(CLI::Range(0, 1 << 22));
  app.add_option("--ai-pid", o.ai_pid, "AI service PID to sample in /proc")
      ->check(CLI::Range(0, 1 << 22));
  app.add_option("--json", o.json_path, "write the report as JSON here");
  app.add_option("--ping-interval", o.ping_interval_s,
                 "idle: seconds between pings per session")
      ->check(CLI::Range(0.1, 600.0));
  app.add_option("--read-delay-ms", o.read_delay_ms,
                 "slow-reader: pause after each received message")
      ->check(CLI::Range(0, 60000));
  app.add_option("--rcvbuf", o.rcvbuf,
                 "SO_RCVBUF bytes (slow-reader default 16384)")
      ->check(CLI::Range(0, 16 << 20));
  app.add_option("--drain-ms", o.drain_ms,
                 "wait for outstanding replies after the last frame")
      ->check(CLI::Range(0, 60000));
  app.add_option("--setup-concurrency", o.setup_concurrency,
                 "parallel REST connections creating sessions")
      ->check(CLI::Range(1, 32));
  app.add_option("--settle", o.settle_s,
                 "idle: seconds after the last connect before sampling")
      ->check(CLI::Range(0.0, 120.0));
  app.add_flag("--init", o.idle_init,
               "idle: send init_session first and wait for session_ready or "
               "an error (a reconnect storm with --ramp)");
  app.add_option("--seed", o.seed, "random seed (jitter, phases)");
  app.add_flag("--reconnect", o.reconnect,
               "stream/slow-reader: reconnect (same URL) and re-init after a "
               "4009/1012/1001 close or a drop");
  app.add_option("--reconnect-within", o.reconnect_within_s,
                 "seconds an outage may last before the phone counts as "
                 "lost; takeover: bound per step (default 10)")
      ->check(CLI::Range(0.5, 300.0));
  app.add_option("--takeovers", o.takeovers,
                 "takeover: connections opened in turn on one session")
      ->check(CLI::Range(1, 10000));
  app.add_flag("--stream-hints", o.stream_hints,
               "stream: phones send init_session with capabilities "
               "[stream_hints] and follow the server's stream_hint messages "
               "(fps at most the hint's, frames re-encoded at its "
               "jpeg_quality and scaled to its max_width)");
  app.add_flag("--quiet", o.quiet, "no progress line");
  app.add_flag("--per-session", o.per_session,
               "print one table row per session");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return {std::nullopt, app.help(), 0};
  } catch (const CLI::ParseError& e) {
    return {std::nullopt, e.what(), 2};
  }
  o.mode = mode_names.at(mode);
  o.resolution = resolution_names.at(res);
  if (auto msg = validate_options(o); !msg.empty())
    return {std::nullopt, msg, 2};
  return {o, {}, 0};
}

} // namespace tryon::bench
