// tryon-server: the composition root. Parses the configuration, then hands
// over to server_app, which wires the stores, the actors and the transport.

#include <cstdio>

#include <spdlog/spdlog.h>

#include "apps/server_app.hpp"
#include "config/server_config.hpp"
#include "logging/log_context.hpp"

int main(int argc, char** argv) {
  auto parsed = tryon::config::parse_server_config(
      argc, argv, tryon::config::process_env());
  if (!parsed.config) {
    std::fprintf(parsed.exit_code == 0 ? stdout : stderr, "%s\n",
                 parsed.message.c_str());
    return parsed.exit_code;
  }
  spdlog::set_level(spdlog::level::from_str(parsed.config->log_level));
  // Validated by the config parser: text or json.
  tryon::logging::install(
      tryon::logging::parse_log_format(parsed.config->log_format)
          .value_or(tryon::logging::log_format::text));
  try {
    return tryon::apps::run_server(*parsed.config);
  } catch (const std::exception& e) {
    spdlog::critical("tryon-server: {}", e.what());
    return 1;
  }
}
