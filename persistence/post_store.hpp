#pragma once

#include <optional>
#include <string>

#include "persistence/types.hpp"

namespace tryon::persistence {

/// Nail-design posts.
class post_store {
public:
  virtual ~post_store() = default;

  /// A post by id.
  virtual std::optional<post> find_post(std::int64_t id) = 0;

  /// Adds a post and returns it with its id.
  virtual post add_post(const std::string& image_url,
                        const std::string& title) = 0;
};

} // namespace tryon::persistence
