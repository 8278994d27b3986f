#pragma once

#include <cstdint>

namespace tryon::metrics {

/// The process's resident set size in bytes (from /proc/self/statm); 0 when
/// it cannot be read.
std::int64_t resident_bytes() noexcept;

} // namespace tryon::metrics
