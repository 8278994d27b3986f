#pragma once

#include "ai_service/service_options.hpp"

namespace tryon::ai {

/// Listens on `opts.listen`:`opts.port` and serves the AI protocol until
/// SIGINT or SIGTERM. IO runs on the calling thread, rendering on
/// `opts.threads` workers. Returns the process exit code (0 after a signal,
/// 1 if the listener could not be opened).
int run_server(const service_options& opts);

} // namespace tryon::ai
