#pragma once

#include "ai_service/pipeline_error.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace tryon::ai {

/// Where a nail reference image lives.
struct reference_url {
  enum class kind { file, http };
  kind scheme = kind::file;
  std::string host;         ///< http only
  std::string port = "80";  ///< http only
  std::string target = "/"; ///< http: path + query
  std::string path;         ///< file: absolute path, percent-decoded
};

/// Parses `http://host[:port][/target]` or `file:///abs/path`
/// (`file://localhost/abs/path` too). Other schemes (https included) are
/// errors.
pipeline_result<reference_url> parse_reference_url(std::string_view url);

/// Reads a file reference, refusing files larger than `max_bytes`.
pipeline_result<std::string> read_file_reference(const reference_url& url,
                                                 std::size_t max_bytes);

} // namespace tryon::ai
