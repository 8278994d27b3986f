#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tryon::bench {

/// What the harness measures.
enum class bench_mode {
  stream,      ///< phones streaming frames through the server
  idle,        ///< connected sessions doing only ping/pong
  slow_reader, ///< streaming phones that read their replies slowly
  direct,      ///< the same stream straight to the AI service (baseline)
  takeover,    ///< successive connections to one session (4009 latency)
};

/// Which synthetic frames are sent.
enum class frame_resolution { p480, p720, mixed };

/// Every flag of tryon-bench, with its default.
struct bench_options {
  bench_mode mode = bench_mode::stream;
  std::string url = "http://127.0.0.1:8000";
  std::string ai_url = "ws://127.0.0.1:8002/ws/tryon";
  /// A non-loopback host the URLs may name: only a private IPv4 address at
  /// the far end of a /30 or /31 link of this network namespace (the veth
  /// pair of bench/uplink/run.sh).
  std::string allow_host;
  std::string token;
  /// CA certificate (PEM) that https/wss servers must chain to; the
  /// default is $TRYON_CA_FILE. Required with an https or wss URL.
  std::string ca_file;
  std::string stats_token;  ///< empty: use `token`
  std::int64_t post_id = 0; ///< 0: upload a generated design
  std::string design_url;   ///< direct mode; empty: a generated file://
  int sessions = 10;
  double fps = 25;
  double duration_s = 30;   ///< measured seconds (after the warm-up)
  std::uint64_t frames = 0; ///< per session; 0 = until the duration ends
  double warmup_s = 2;
  double ramp_s = -1; ///< negative: sessions / 200 seconds
  double jitter = 0.15;
  frame_resolution resolution = frame_resolution::p720;
  int frame_kb = 0; ///< target JPEG size; 0: 35 (480p) / 60 (720p)
  int threads = 1;
  int server_pid = 0;
  int ai_pid = 0;
  std::string json_path;
  double ping_interval_s = 10;
  int read_delay_ms = 250;
  int rcvbuf = 0; ///< SO_RCVBUF; 0: default (slow-reader: 16384)
  int drain_ms = 3000;
  int setup_concurrency = 4;
  double settle_s = 3;
  /// idle: send init_session first and wait for session_ready or an error
  /// (a reconnect storm; the open figures of the report).
  bool idle_init = false;
  std::uint64_t seed = 1;
  /// stream/slow-reader: phones reconnect after 4009/1012/1001 or a drop.
  bool reconnect = false;
  /// Reconnect bound (outage -> session_ready) and take-over step bound.
  double reconnect_within_s = 10;
  int takeovers = 200; ///< takeover mode: connections opened in turn
  /// stream: opt in to stream_hint messages and follow them (fps, JPEG
  /// quality, max width).
  bool stream_hints = false;
  bool quiet = false;
  bool per_session = false;
};

/// Options, or a message and an exit code (0 for --help, 2 for misuse).
struct options_outcome {
  std::optional<bench_options> options;
  std::string message;
  int exit_code = 0;
};

/// Parses and validates the command line (mode first, then flags).
options_outcome parse_bench_options(int argc, const char* const* argv);

/// Checks bounds and loopback-only targets (or --allow-host's) and fills the
/// automatic values; returns an error message, empty when fine.
std::string validate_options(bench_options& opt);

/// "stream", "idle", "slow-reader" or "direct".
std::string_view to_string(bench_mode mode);

/// "480p", "720p" or "mixed".
std::string_view to_string(frame_resolution res);

} // namespace tryon::bench
