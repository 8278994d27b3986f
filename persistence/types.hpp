#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace tryon::persistence {

/// Microseconds since the Unix epoch, UTC: the one time type of the stores.
using epoch_us = std::int64_t;

/// Formats a time as ISO 8601 in UTC with microseconds, as DRF does
/// ("2026-11-23T21:42:32.123456Z").
std::string iso8601(epoch_us t);

/// Current wall-clock time.
epoch_us now_us();

/// A user account (Django's auth user, the fields this service needs).
struct user {
  std::int64_t id = 0;
  std::string username;
  bool is_staff = false;
};

/// A nail-design post: its image is the design in "explore" mode.
struct post {
  std::int64_t id = 0;
  std::string title;
  std::string image_url;
};

/// What an upload was stored as; `kind` is "nail_reference" | "source_image".
struct upload_record {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string kind;
  std::string media_path; ///< relative to the media root
  std::string url;        ///< the URL returned to the client
  std::string content_type;
  std::int64_t size = 0;
};

/// A try-on session row (the original TryOnSession model).
struct session_record {
  std::string id; ///< canonical lower-case UUID
  std::int64_t user_id = 0;
  std::optional<std::int64_t> nail_reference_post_id;
  std::string nail_reference_url;
  std::optional<std::string> source_image_url;
  std::string mode = "explore"; ///< "explore" | "upload"
  std::string status = "initializing";
  epoch_us created_at = 0;
  epoch_us updated_at = 0;
  epoch_us expires_at = 0;
  nlohmann::json stats = nlohmann::json::object();
};

/// Fields of a session to create; the store fills id and timestamps.
struct new_session {
  std::int64_t user_id = 0;
  std::optional<std::int64_t> nail_reference_post_id;
  std::string nail_reference_url;
  std::optional<std::string> source_image_url;
  std::string mode;
  epoch_us expires_at = 0;
};

/// A saved try-on result (the original TryOnResult model).
struct result_record {
  std::int64_t id = 0;
  std::string session_id;
  std::int64_t user_id = 0;
  std::optional<std::int64_t> nail_reference_post_id;
  std::string processed_image; ///< media path relative to the media root
  std::optional<std::string> thumbnail; ///< media path, may be absent
  epoch_us created_at = 0;
  std::optional<double> confidence_score;
  nlohmann::json metadata = nlohmann::json::object();
};

/// Filter for listing sessions (operator CLI).
struct session_filter {
  std::optional<std::string> status;
  std::optional<std::string> username;
  std::int64_t limit = 100;
};

} // namespace tryon::persistence
