#include "actors/capture_saver.hpp"

#include <chrono>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "imaging/thumbnail.hpp"
#include "persistence/random_hex.hpp"
#include "persistence/store_error.hpp"

namespace tryon::actors {

namespace {

capture_outcome failure(std::string why) {
  return {std::nullopt, why};
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace

capture_outcome capture_saver::save(const capture_request& req) {
  if (!req.message || req.message->size() <= req.image_offset)
    return failure("no processed image");
  std::string_view image{req.message->data() + req.image_offset,
                         req.message->size() - req.image_offset};
  std::string why;
  auto size = imaging::jpeg_size(image);
  auto thumb = imaging::make_thumbnail(image, thumbnail_side_, why);
  if (!size || !thumb) {
    spdlog::warn("capture {}#{}: {}", req.session_id, req.sequence, why);
    return failure("the processed frame is not a valid JPEG");
  }
  // results/<session>/<sequence>-<random>.jpg: unique, never overwritten.
  auto stem = "results/" + req.session_id + "/" + std::to_string(req.sequence) +
              "-" + persistence::random_hex(8);
  const std::string image_path = stem + ".jpg";
  const std::string thumb_path = stem + "_thumb.jpg";
  std::vector<std::string> written;
  try {
    media_.write_file(image_path, image);
    written.push_back(image_path);
    media_.write_file(thumb_path, thumb->jpeg);
    written.push_back(thumb_path);
  } catch (const std::exception& e) {
    for (const auto& p : written)
      media_.remove(p);
    spdlog::error("capture {}#{}: media write failed: {}", req.session_id,
                  req.sequence, e.what());
    if (dynamic_cast<const persistence::storage_full_error*>(&e))
      return failure("the server's storage is full");
    return failure("could not store the image");
  }
  persistence::result_record r;
  r.session_id = req.session_id;
  r.user_id = req.user_id;
  r.nail_reference_post_id = req.post_id;
  r.processed_image = image_path;
  r.thumbnail = thumb_path;
  r.confidence_score = req.confidence;
  r.metadata = {{"sequence", req.sequence},
                {"captured_at_ms", req.requested_at_ms},
                {"saved_at_ms", now_ms()},
                {"processing_time_ms", req.processing_time_ms},
                {"format", "jpeg"},
                {"width", size->width},
                {"height", size->height},
                {"bytes", image.size()},
                {"thumbnail_width", thumb->size.width},
                {"thumbnail_height", thumb->size.height}};
  try {
    return {results_.add_result(r).id, {}};
  } catch (const std::exception& e) {
    media_.remove(image_path);
    media_.remove(thumb_path);
    spdlog::error("capture {}#{}: result not saved: {}", req.session_id,
                  req.sequence, e.what());
    return failure("could not save the result");
  }
}

} // namespace tryon::actors
