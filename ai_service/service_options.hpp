#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tryon::ai {

/// Settings of the tryon-ai service (flags, see main.cpp).
struct service_options {
  std::string listen = "127.0.0.1";
  std::uint16_t port = 8002; ///< 0 picks a free port (logged)
  int threads = 2;           ///< rendering workers
  bool passthrough = false;  ///< echo input bytes, confidence 1.0
  int delay_ms = 0;          ///< extra sleep per frame (a slow model)
  int jpeg_quality = 80;
  int fetch_timeout_ms = 5000; ///< nail reference download
  std::string ca_file;         ///< PEM CAs for https://; empty: system store
  std::size_t max_reference_bytes = 20 << 20; ///< nail reference size cap
  std::size_t max_message_bytes = 16 << 20;   ///< WebSocket message cap
  std::size_t max_pending = 16; ///< per connection: jobs + queued writes
  /// Frames taken on at once across all connections, advertised to servers
  /// as each connection's share (AI credits); -1: `threads`; 0: not
  /// advertised.
  int capacity = -1;
  /// Fault injection (tests of the server's AI link; docs/ai_service.md).
  bool hang_init = false;           ///< never answer init_session
  bool never_answer_frames = false; ///< never answer a frame
};

} // namespace tryon::ai
