#pragma once

#include "ai_service/pipeline_error.hpp"
#include "ai_service/reference_url.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace tryon::ai {

/// Once per process, before any thread calls fetch_https (libcurl's global
/// initialisation is not thread-safe). Returns false if libcurl fails.
bool init_https_fetch();

/// Downloads an https:// reference with libcurl, verifying the peer against
/// the system's CA store, or against `ca_file` (PEM) when it is not empty.
/// Blocks for up to `timeout`: call it from a worker thread, never from the
/// IO thread. Only a 200 with a body of at most `max_bytes` succeeds;
/// redirects are not followed (as for http://).
pipeline_result<std::string> fetch_https(const reference_url& url,
                                         std::chrono::milliseconds timeout,
                                         std::size_t max_bytes,
                                         const std::string& ca_file);

} // namespace tryon::ai
