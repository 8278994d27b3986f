#pragma once

#include <optional>
#include <string>

#include "persistence/types.hpp"

namespace tryon::persistence {

/// Records of uploaded files, so a session may only reference uploads that
/// were returned to the same user.
class upload_store {
public:
  virtual ~upload_store() = default;

  /// Records an upload and returns it with its id.
  virtual upload_record add_upload(const upload_record& rec) = 0;

  /// The upload of `user_id` with exactly this URL, if any.
  virtual std::optional<upload_record>
  find_upload_by_url(std::int64_t user_id, const std::string& url) = 0;
};

} // namespace tryon::persistence
