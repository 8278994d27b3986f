#pragma once

#include <string>
#include <variant>

namespace tryon::ai {

/// Why an image step failed (the pipeline returns errors, never throws).
struct pipeline_error {
  std::string message;
};

/// Either a value or the reason it could not be produced.
template <class T>
using pipeline_result = std::variant<T, pipeline_error>;

} // namespace tryon::ai
