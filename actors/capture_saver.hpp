#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "persistence/media_store.hpp"
#include "persistence/result_store.hpp"

namespace tryon::actors {

/// One capture: the latest processed frame of a session, to save.
struct capture_request {
  std::string session_id;
  std::int64_t user_id = 0;
  std::optional<std::int64_t> post_id;
  std::int64_t sequence = 0;
  double confidence = 0;
  double processing_time_ms = 0;
  /// The whole AI message; the JPEG starts at `image_offset`.
  std::shared_ptr<const std::string> message;
  std::size_t image_offset = 1024;
  std::int64_t requested_at_ms = 0; ///< Unix epoch, when capture was asked
};

/// What became of a capture: the new result's id, or why it failed (a
/// message fit for the client).
struct capture_outcome {
  std::optional<std::int64_t> id;
  std::string error;
};

/// Saves captures as results (blocking: disk and database). Writes the
/// processed image and its thumbnail (atomic file writes), then the result
/// row. Never leaves a row without its files nor files without a row: a
/// failed file write removes what was written and inserts nothing; a failed
/// insert removes both files. Not thread-safe by itself: one caller.
class capture_saver {
public:
  /// Thumbnails get a longest side of `thumbnail_side` pixels.
  capture_saver(persistence::media_store& media,
                persistence::result_store& results, int thumbnail_side = 256)
    : media_(media), results_(results), thumbnail_side_(thumbnail_side) {}

  /// Saves one capture.
  capture_outcome save(const capture_request& req);

private:
  persistence::media_store& media_;
  persistence::result_store& results_;
  int thumbnail_side_;
};

} // namespace tryon::actors
