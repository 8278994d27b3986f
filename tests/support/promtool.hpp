#pragma once

// Runs Prometheus's promtool (Debian package prometheus) from a test. A
// test that needs it fails, naming the package, when it is missing.

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace tryon::testing {

/// What a promtool run printed and returned.
struct promtool_result {
  int status = -1;    ///< exit code; -1: could not run it
  std::string output; ///< stdout and stderr
};

/// The promtool on PATH (or $TRYON_PROMTOOL); empty when there is none.
inline std::string promtool_path() {
  if (const char* p = std::getenv("TRYON_PROMTOOL"); p && *p)
    return std::filesystem::exists(p) ? p : "";
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
    auto candidate = std::filesystem::path{dir} / "promtool";
    if (::access(candidate.c_str(), X_OK) == 0)
      return candidate.string();
  }
  return "";
}

/// `promtool check metrics` on `text` (the exposition format).
inline promtool_result promtool_check_metrics(const std::string& text) {
  promtool_result r;
  auto tool = promtool_path();
  if (tool.empty())
    return r;
  char tmpl[] = "/tmp/tryon-metrics-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0)
    return r;
  ::close(fd);
  {
    std::ofstream out{tmpl, std::ios::binary};
    out << text;
  }
  std::string cmd = tool + " check metrics < " + tmpl + " 2>&1";
  if (FILE* pipe = ::popen(cmd.c_str(), "r")) {
    std::array<char, 4096> buf{};
    while (auto n = std::fread(buf.data(), 1, buf.size(), pipe))
      r.output.append(buf.data(), n);
    int st = ::pclose(pipe);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }
  std::filesystem::remove(tmpl);
  return r;
}

} // namespace tryon::testing
