#pragma once

#include "ai_service/pipeline_error.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace tryon::ai {

/// Where a nail reference image lives.
struct reference_url {
  enum class kind { file, http, https };
  kind scheme = kind::file;
  std::string host;         ///< http(s) only
  std::string port = "80";  ///< http(s) only ("443" for https by default)
  std::string target = "/"; ///< http(s): path + query
  std::string path;         ///< file: absolute path, percent-decoded
};

/// Parses `http://host[:port][/target]`, `https://host[:port][/target]`
/// or `file:///abs/path` (`file://localhost/abs/path` too). Other schemes
/// are errors.
pipeline_result<reference_url> parse_reference_url(std::string_view url);

/// The http(s) URL of `url` again (no fragment, no user info).
std::string to_string(const reference_url& url);

/// Reads a file reference, refusing files larger than `max_bytes`.
pipeline_result<std::string> read_file_reference(const reference_url& url,
                                                 std::size_t max_bytes);

} // namespace tryon::ai
