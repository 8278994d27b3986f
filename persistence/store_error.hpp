#pragma once

#include <stdexcept>
#include <string>

namespace tryon::persistence {

/// The one exception the store interfaces throw: the database or storage
/// failed (unreachable, constraint broken, I/O error). Driver exceptions
/// (pqxx, hiredis, filesystem) are converted at the implementation boundary.
class store_error : public std::runtime_error {
public:
  /// `conflict` is true when a uniqueness constraint refused the write.
  explicit store_error(const std::string& what, bool conflict = false)
    : std::runtime_error(what), conflict_(conflict) {}

  /// Whether a uniqueness constraint refused the write.
  bool conflict() const noexcept { return conflict_; }

private:
  bool conflict_;
};

} // namespace tryon::persistence
