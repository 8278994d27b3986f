#pragma once

#include <cerrno>
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

/// The media disk is full (ENOSPC, EDQUOT): nothing was stored, and trying
/// again helps only once space is freed. REST answers 507.
class storage_full_error : public store_error {
public:
  using store_error::store_error;
};

/// Whether `err` (an errno value) says the file system is out of space.
inline bool is_out_of_space(int err) noexcept {
  return err == ENOSPC || err == EDQUOT;
}

} // namespace tryon::persistence
