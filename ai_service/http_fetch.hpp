#pragma once

#include "ai_service/pipeline_error.hpp"
#include "ai_service/reference_url.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace tryon::ai {

/// Downloads an http:// reference with a plain HTTP/1.1 GET: connect,
/// write and read must all finish within `timeout`; only a 200 with a body
/// of at most `max_bytes` succeeds. `done` runs once, on an `ioc` thread.
void fetch_http(boost::asio::io_context& ioc, const reference_url& url,
                std::chrono::milliseconds timeout, std::size_t max_bytes,
                std::function<void(pipeline_result<std::string>)> done);

} // namespace tryon::ai
