// The server's configuration values, from the environment and from flags.
//
// Input: lines. A line starting with '-' is a command-line argument; any
// other `NAME=value` line sets an environment variable (the names the
// server reads; the fuzzer finds them from the seeds).
#include "config/server_config.hpp"
#include "fuzz/fuzz_check.hpp"

#include <map>
#include <string>
#include <vector>

using namespace tryon::config;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto text = tryon::fuzz::as_text(data, size);
  std::map<std::string, std::string, std::less<>> env;
  std::vector<std::string> args{"tryon-server"};
  while (!text.empty()) {
    auto eol = text.find('\n');
    auto line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{}
                                         : text.substr(eol + 1);
    if (!line.empty() && line.front() == '-') {
      args.emplace_back(line);
    } else if (auto eq = line.find('='); eq != std::string_view::npos) {
      env[std::string{line.substr(0, eq)}] = std::string{line.substr(eq + 1)};
    }
  }
  std::vector<const char*> argv;
  for (const auto& a : args)
    argv.push_back(a.c_str());
  auto lookup = [&](const char* name) -> std::optional<std::string> {
    if (auto it = env.find(name); it != env.end())
      return it->second;
    return std::nullopt;
  };
  auto outcome =
      parse_server_config(static_cast<int>(argv.size()), argv.data(), lookup);
  if (outcome.config) {
    TRYON_FUZZ_CHECK(outcome.exit_code == 0);
    const auto& c = *outcome.config;
    TRYON_FUZZ_CHECK(!c.media_root.empty());
    TRYON_FUZZ_CHECK(c.io_threads >= 1 && c.max_frame_size >= 2048);
    (void)c.origin_allowed("http://127.0.0.1:8000");
    (void)c.origin_allowed(c.public_url);
  } else {
    TRYON_FUZZ_CHECK(!outcome.message.empty());
    TRYON_FUZZ_CHECK(outcome.exit_code == 0 || outcome.exit_code == 2);
  }
  return 0;
}
