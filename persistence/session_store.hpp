#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "persistence/types.hpp"

namespace tryon::persistence {

/// Try-on sessions.
class session_store {
public:
  virtual ~session_store() = default;

  /// Creates a session in status `initializing`.
  virtual session_record create_session(const new_session& s) = 0;

  /// A session by id (any owner); nullopt for unknown ids.
  virtual std::optional<session_record> find_session(const std::string& id) = 0;

  /// Sets the status (and updated_at); false if the session is unknown.
  virtual bool update_status(const std::string& id,
                             const std::string& status) = 0;

  /// Replaces the stats JSON (and updated_at).
  virtual bool update_stats(const std::string& id,
                            const nlohmann::json& stats) = 0;

  /// Marks every session past expires_at and not yet completed/error as
  /// `completed`; returns their ids (the expiry sweep).
  virtual std::vector<std::string> complete_expired(epoch_us now) = 0;

  /// Marks session `id` `error` if it is still `active` or `paused` and
  /// unchanged since `seen_updated_at` (its updated_at when it was listed):
  /// a session whose node died. False when it was not (it moved on).
  virtual bool end_abandoned(const std::string& id,
                             epoch_us seen_updated_at) = 0;

  /// How many sessions are in each status (statuses with none are absent).
  virtual std::map<std::string, std::int64_t> count_by_status() = 0;

  /// Sessions matching the filter, newest first (operator CLI).
  virtual std::vector<session_record>
  list_sessions(const session_filter& f) = 0;
};

} // namespace tryon::persistence
