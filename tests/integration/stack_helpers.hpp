#pragma once

// Helpers shared by the supervisor end-to-end tests (expiry, capture,
// operator stats, shutdown).

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "test_stack.hpp"

namespace tryon::testing {

/// Connects `u` to `session` and sends init_session; null unless
/// session_ready arrived. `receive_buffer` as for ws_client.
std::unique_ptr<ws_client> open_ready(test_stack& s, const test_user& u,
                                      const std::string& session,
                                      int receive_buffer = 0);

/// Polls `done` every 50 ms until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& done,
                std::chrono::milliseconds timeout);

/// GET `target` as `u` (no auth when null); the body as JSON (discarded
/// when not JSON).
nlohmann::json get_json(test_stack& s, const std::string& target,
                        const test_user* u, unsigned* status = nullptr);

/// What a client saw of a run of frames.
struct frame_run {
  int processed = 0;        ///< processed_frame messages
  std::int64_t dropped = 0; ///< sum of their dropped_frames
  std::int64_t last = -1;   ///< last sequence delivered
  std::string last_image;   ///< the last processed image (JPEG)
};

/// Reads processed frames until `last_sequence` has been delivered (with
/// its image) or `timeout` passes; other text messages are skipped.
frame_run read_until(ws_client& c, std::int64_t last_sequence,
                     std::chrono::milliseconds timeout);

/// Sends frame `sequence` and reads its processed frame and image.
frame_run one_frame(ws_client& c, std::int64_t sequence, int w = 320,
                    int h = 240);

/// The `type`/`code` of a text message (empty when not JSON).
std::pair<std::string, std::string> kind_of(const ws_message& m);

/// Width and height of a JPEG (0, 0 when not one).
std::pair<int, int> jpeg_dimensions(const std::string& jpeg);

} // namespace tryon::testing
