#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace tryon::testing {

/// A child process started from a test (the real server or AI service
/// binaries), with output appended to a log file. Killed on destruction.
class child_process {
public:
  /// Starts `argv` with the current environment plus `env`; stdout and
  /// stderr go to `log_path`.
  child_process(std::vector<std::string> argv,
                std::map<std::string, std::string> env, std::string log_path);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Sends `sig`.
  void signal(int sig);

  /// Waits for exit up to `timeout`; the exit code (128+signal when killed),
  /// nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);

  /// Whether it is still running.
  bool running();

  /// The process id.
  pid_t pid() const { return pid_; }

  /// The log so far.
  std::string log() const;

private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string log_path_;
};

/// A TCP port that was free a moment ago on 127.0.0.1.
int free_port();

} // namespace tryon::testing
