#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <sys/types.h>

namespace tryon::testing {

/// The reference AI service binary (`<build>/ai_service/tryon-ai`) run as a
/// child process on a fixed port, so a test can kill and restart it.
class ai_process {
public:
  /// Path of the binary in this build tree.
  static std::string binary();
  /// Whether the binary has been built.
  static bool available();

  /// Does not start anything yet.
  ai_process(std::uint16_t port, std::vector<std::string> extra_args);
  ~ai_process();
  ai_process(const ai_process&) = delete;
  ai_process& operator=(const ai_process&) = delete;

  /// Starts the service and waits until it accepts TCP connections.
  bool start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// SIGKILLs the service and reaps it.
  void kill();
  /// SIGSTOPs the service: its sockets stay open, nothing answers (not even
  /// WebSocket pings), as with a process stuck in a long pause.
  void pause();
  /// SIGCONTs it after pause().
  void resume();
  /// The ws:// URL of the service.
  std::string url() const;

private:
  std::uint16_t port_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
};

/// A TCP port on 127.0.0.1 that was free a moment ago.
std::uint16_t free_port();

/// A small grey JPEG (TurboJPEG).
std::string make_jpeg(int width, int height);

/// Writes `bytes` to a fresh file under the temp dir; returns its path.
std::string write_temp_file(const std::string& name, const std::string& bytes);

} // namespace tryon::testing
