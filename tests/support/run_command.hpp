#pragma once

// Runs a shell command and collects what it prints: for tests of the built
// binaries (tryonctl).

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace tryon::testing {

/// What a command printed on stdout and its exit code (-1: it did not run
/// or did not exit).
struct command_result {
  int status = -1;
  std::string out;
};

/// Runs `cmd` with /bin/sh (add `2>&1` for stderr too).
inline command_result run_command(const std::string& cmd) {
  command_result r;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr)
    return r;
  std::array<char, 4096> buf{};
  while (auto n = std::fread(buf.data(), 1, buf.size(), pipe))
    r.out.append(buf.data(), n);
  const int st = ::pclose(pipe);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

} // namespace tryon::testing
