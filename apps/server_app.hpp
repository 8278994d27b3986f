#pragma once

#include "config/server_config.hpp"

namespace tryon::apps {

/// Builds the whole server from `cfg`, serves until SIGINT/SIGTERM, then
/// shuts down gracefully within cfg.shutdown_deadline. Returns the exit code.
int run_server(const config::server_config& cfg);

} // namespace tryon::apps
