#pragma once

#include "bench/harness/bench_options.hpp"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace tryon::bench {

/// The JPEG quality the frames of a run are made at (their size is set by
/// the grain, see make_frame).
constexpr int frame_quality = 85;

/// One pre-encoded camera frame.
struct frame_image {
  int width = 0;
  int height = 0;
  std::shared_ptr<const std::string> jpeg; ///< never null once made
  /// How it was drawn (draw_hand_rgb at its source size), so that it can be
  /// encoded again at another quality or size; grain < 0: unknown.
  int variant = 0;
  int grain = -1;
  int source_width = 0; ///< the drawing's size before any scaling
  int source_height = 0;
  int quality = frame_quality; ///< JPEG quality it was encoded at
};

/// A synthetic back-of-hand photo (palm, four spread fingers, a thumb, the
/// wrist leaving through the bottom edge) on a shaded background, as RGB
/// (3 bytes per pixel). `variant` moves the hand a little; `grain` is the
/// amplitude of sensor-like luminance noise, which sets the JPEG size.
std::vector<std::uint8_t> draw_hand_rgb(int width, int height, int variant,
                                        int grain);

/// Baseline JPEG (4:2:0) of RGB pixels; empty on failure.
std::string encode_jpeg(const std::vector<std::uint8_t>& rgb, int width,
                        int height, int quality);

/// A hand frame whose JPEG is as close to `target_bytes` as the grain
/// search gets (within a few percent for 30-120 KB at 480p/720p).
frame_image make_frame(int width, int height, int variant,
                       std::size_t target_bytes);

/// The frames a run cycles through: `variants` per resolution; `mixed`
/// alternates 720p (frame_kb) and 480p (frame_kb * 0.6, at least 30 KB).
std::vector<frame_image> make_frame_set(frame_resolution res, int frame_kb,
                                        int variants);

/// `rgb` (width x height, 3 bytes per pixel) scaled down to new_width x
/// new_height by averaging the source pixels each target pixel covers (what
/// a phone's scaler does: the sensor noise averages out).
std::vector<std::uint8_t> downscale_rgb(const std::vector<std::uint8_t>& rgb,
                                        int width, int height, int new_width,
                                        int new_height);

/// The size of a width x height frame scaled so that its long side is at
/// most `max_width` (never up; 0 = no limit), keeping the aspect ratio,
/// both sides even (4:2:0 chroma).
std::pair<int, int> scaled_size(int width, int height, int max_width);

/// `base` drawn again (the same hand, variant and grain), scaled to at most
/// `max_width` (0 = its size), encoded at `quality` (1-100). A frame whose
/// drawing is unknown (grain < 0) comes back as it is.
frame_image reencode_frame(const frame_image& base, int quality, int max_width);

/// What a stream hint asks of the encoder.
struct frame_key {
  int quality = frame_quality;
  int max_width = 0; ///< 0: no limit
  bool operator<(const frame_key& o) const {
    return quality != o.quality ? quality < o.quality : max_width < o.max_width;
  }
  bool operator==(const frame_key& o) const {
    return quality == o.quality && max_width == o.max_width;
  }
  bool operator!=(const frame_key& o) const { return !(*this == o); }
};

/// A run's frames and their re-encodings, one set per (quality, max width),
/// each made once: the hot path picks a ready set, it never encodes. Sets
/// are made on the library's own thread; thread-safe; the sets it hands out
/// live as long as the library.
class frame_library {
public:
  explicit frame_library(std::vector<frame_image> base);
  ~frame_library();
  frame_library(const frame_library&) = delete;
  frame_library& operator=(const frame_library&) = delete;

  /// The frames as made at start (quality frame_quality, full size).
  const std::vector<frame_image>& base() const { return base_; }

  /// `key` with the quality clamped to 1-100 and a max width at or above
  /// every frame's long side written as 0 (no limit).
  frame_key normalize(frame_key key) const;

  /// The set for `key` if it is made (the base set for the base key);
  /// otherwise null, and it is queued for making.
  const std::vector<frame_image>* find(frame_key key);

  /// The set for `key`, made now if needed (blocks).
  const std::vector<frame_image>& get(frame_key key);

  /// Sets made so far besides the base one.
  std::size_t made() const;

private:
  using frame_set = std::vector<frame_image>;
  void work();
  std::unique_ptr<frame_set> make_set(frame_key key) const;
  /// Makes `key`'s set with `lock` released, stores it (unless another
  /// thread stored it first) and wakes the waiters; returns the stored one.
  const frame_set& make_and_store(std::unique_lock<std::mutex>& lock,
                                  frame_key key);

  const frame_set base_;
  int long_side_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<frame_key, std::unique_ptr<frame_set>> sets_;
  std::deque<frame_key> queue_;
  bool stop_ = false;
  std::thread worker_; ///< started by the first find() that queues
};

/// A 256x256 nail design JPEG (uploaded, or handed to the AI service).
std::string make_design_jpeg();

} // namespace tryon::bench
