#pragma once

#include "bench/harness/bench_options.hpp"

#include <random>
#include <string>
#include <vector>

namespace tryon::bench {

/// The sessions a run will open.
struct session_setup {
  std::vector<std::string> ids; ///< session UUIDs
  std::string design_url;       ///< direct mode: the nail reference
  std::vector<std::string> notes;
  std::string fatal; ///< non-empty: the run cannot go on
};

/// Server modes: uploads a design if no post id was given, then creates
/// the sessions through the REST API (several connections in parallel).
/// Direct mode: random session ids and a design URL (a generated JPEG
/// written to a temporary file:// unless --design-url was given).
session_setup prepare_sessions(const bench_options& opt);

/// A random version-4 UUID in canonical form.
std::string random_uuid(std::mt19937_64& rng);

} // namespace tryon::bench
