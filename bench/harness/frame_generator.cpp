#include "bench/harness/frame_generator.hpp"

#include <turbojpeg.h>

#include <algorithm>
#include <cmath>

namespace tryon::bench {

namespace {

struct capsule {
  double ax, ay, bx, by, r; // base, tip centre, radius (1280 x 720 units)
};

const capsule fingers[] = {
    {535, 420, 530, 180, 31}, // index
    {615, 420, 615, 150, 31}, // middle
    {695, 420, 700, 170, 30}, // ring
    {770, 430, 785, 215, 27}, // little
    {490, 520, 355, 385, 34}, // thumb
};

double segment_distance(double px, double py, const capsule& c) {
  const double vx = c.bx - c.ax;
  const double vy = c.by - c.ay;
  const double t = std::clamp(
      ((px - c.ax) * vx + (py - c.ay) * vy) / (vx * vx + vy * vy), 0.0, 1.0);
  return std::hypot(px - (c.ax + t * vx), py - (c.ay + t * vy));
}

// Skin test in 1280 x 720 units.
bool in_hand(double ux, double uy) {
  const double ex = (ux - 640) / 170;
  const double ey = (uy - 470) / 150;
  if (ex * ex + ey * ey <= 1)
    return true; // palm
  if (ux >= 520 && ux <= 760 && uy >= 540)
    return true; // wrist to the bottom edge
  for (const auto& f : fingers)
    if (segment_distance(ux, uy, f) <= f.r)
      return true;
  return false;
}

// A cheap deterministic hash noise in [-1, 1].
double hash_noise(std::uint32_t x, std::uint32_t y, std::uint32_t seed) {
  std::uint32_t h = x * 374761393u + y * 668265263u + seed * 2246822519u;
  h = (h ^ (h >> 13)) * 1274126177u;
  h ^= h >> 16;
  return (h & 0xffff) / 32767.5 - 1.0;
}

std::uint8_t clamp8(double v) {
  return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

} // namespace

std::vector<std::uint8_t> draw_hand_rgb(int width, int height, int variant,
                                        int grain) {
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(width) * height * 3);
  const double sx = width / 1280.0;
  const double sy = height / 720.0;
  const double dx = (variant % 3 - 1) * 8.0;
  const double dy = (variant / 3 % 3 - 1) * 6.0;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const double ux = (x + 0.5) / sx - dx;
      const double uy = (y + 0.5) / sy - dy;
      double r, g, b;
      if (in_hand(ux, uy)) {
        // Lit from the top left: brighter towards the fingertips.
        const double shade = 1.0 - 0.12 * (uy / 720.0) + 0.05 * (ux < 640);
        r = 224 * shade;
        g = 172 * shade;
        b = 140 * shade;
      } else {
        const double v = 22 + 18 * (uy / 720.0);
        r = v;
        g = v + 4;
        b = v + 14;
      }
      // Equal noise on R, G and B changes luminance only (not Cb/Cr).
      const double n = grain * (0.7 * hash_noise(x, y, variant) +
                                0.3 * hash_noise(x / 4, y / 4, variant + 7));
      auto* p = &rgb[(static_cast<std::size_t>(y) * width + x) * 3];
      p[0] = clamp8(r + n);
      p[1] = clamp8(g + n);
      p[2] = clamp8(b + n);
    }
  return rgb;
}

std::string encode_jpeg(const std::vector<std::uint8_t>& rgb, int width,
                        int height, int quality) {
  tjhandle tj = tjInitCompress();
  if (tj == nullptr)
    return {};
  unsigned char* out = nullptr;
  unsigned long size = 0;
  std::string jpeg;
  if (tjCompress2(tj, rgb.data(), width, 0, height, TJPF_RGB, &out, &size,
                  TJSAMP_420, quality, TJFLAG_FASTDCT) == 0)
    jpeg.assign(reinterpret_cast<const char*>(out), size);
  tjFree(out);
  tjDestroy(tj);
  return jpeg;
}

frame_image make_frame(int width, int height, int variant,
                       std::size_t target_bytes) {
  int lo = 0;
  int hi = 48;
  std::string best;
  int best_grain = 0;
  while (lo <= hi) { // JPEG size grows with the grain
    const int mid = (lo + hi) / 2;
    auto jpeg = encode_jpeg(draw_hand_rgb(width, height, variant, mid), width,
                            height, frame_quality);
    auto gap = [&](const std::string& j) {
      return std::abs(static_cast<long>(j.size()) -
                      static_cast<long>(target_bytes));
    };
    if (best.empty() || gap(jpeg) < gap(best)) {
      best = jpeg;
      best_grain = mid;
    }
    if (jpeg.size() < target_bytes)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  frame_image f;
  f.width = f.source_width = width;
  f.height = f.source_height = height;
  f.jpeg = std::make_shared<const std::string>(std::move(best));
  f.variant = variant;
  f.grain = best_grain;
  return f;
}

std::vector<std::uint8_t> downscale_rgb(const std::vector<std::uint8_t>& rgb,
                                        int width, int height, int new_width,
                                        int new_height) {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(new_width) *
                                new_height * 3);
  // Each target pixel averages the source pixels whose centres fall in its
  // footprint (at least one).
  auto span = [](int i, int n, int src) {
    int a = static_cast<int>(static_cast<long>(i) * src / n);
    int b = static_cast<int>(static_cast<long>(i + 1) * src / n);
    return std::pair{a, std::max(b, a + 1)};
  };
  for (int y = 0; y < new_height; ++y) {
    const auto [y0, y1] = span(y, new_height, height);
    for (int x = 0; x < new_width; ++x) {
      const auto [x0, x1] = span(x, new_width, width);
      unsigned sum[3] = {0, 0, 0};
      for (int sy = y0; sy < y1; ++sy)
        for (int sx = x0; sx < x1; ++sx) {
          const auto* p = &rgb[(static_cast<std::size_t>(sy) * width + sx) * 3];
          sum[0] += p[0];
          sum[1] += p[1];
          sum[2] += p[2];
        }
      const unsigned n = static_cast<unsigned>((y1 - y0) * (x1 - x0));
      auto* q = &out[(static_cast<std::size_t>(y) * new_width + x) * 3];
      for (int c = 0; c < 3; ++c)
        q[c] = static_cast<std::uint8_t>((sum[c] + n / 2) / n);
    }
  }
  return out;
}

std::pair<int, int> scaled_size(int width, int height, int max_width) {
  const int long_side = std::max(width, height);
  if (max_width <= 0 || long_side <= max_width)
    return {width, height};
  const double s = static_cast<double>(max_width) / long_side;
  auto even = [](double v) {
    return std::max(2, static_cast<int>(std::floor(v / 2)) * 2);
  };
  return {even(width * s), even(height * s)};
}

frame_image reencode_frame(const frame_image& base, int quality,
                           int max_width) {
  if (base.grain < 0)
    return base;
  quality = std::clamp(quality, 1, 100);
  const int sw = base.source_width > 0 ? base.source_width : base.width;
  const int sh = base.source_height > 0 ? base.source_height : base.height;
  const auto [w, h] = scaled_size(sw, sh, max_width);
  auto rgb = draw_hand_rgb(sw, sh, base.variant, base.grain);
  if (w != sw || h != sh)
    rgb = downscale_rgb(rgb, sw, sh, w, h);
  frame_image f = base;
  f.width = w;
  f.height = h;
  f.quality = quality;
  f.jpeg = std::make_shared<const std::string>(encode_jpeg(rgb, w, h, quality));
  return f;
}

frame_library::frame_library(std::vector<frame_image> base)
  : base_(std::move(base)) {
  for (const auto& f : base_)
    long_side_ = std::max({long_side_, f.width, f.height});
}

frame_library::~frame_library() {
  {
    std::lock_guard<std::mutex> lock{mu_};
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable())
    worker_.join();
}

frame_key frame_library::normalize(frame_key key) const {
  key.quality = std::clamp(key.quality, 1, 100);
  if (key.max_width <= 0 || key.max_width >= long_side_)
    key.max_width = 0;
  return key;
}

const std::vector<frame_image>* frame_library::find(frame_key key) {
  key = normalize(key);
  if (key == frame_key{})
    return &base_;
  std::lock_guard<std::mutex> lock{mu_};
  auto it = sets_.find(key);
  if (it != sets_.end())
    return it->second.get(); // null while it is being made
  sets_.emplace(key, nullptr);
  queue_.push_back(key);
  if (!worker_.joinable())
    worker_ = std::thread{[this] { work(); }};
  cv_.notify_one();
  return nullptr;
}

const std::vector<frame_image>& frame_library::get(frame_key key) {
  key = normalize(key);
  if (key == frame_key{})
    return base_;
  std::unique_lock<std::mutex> lock{mu_};
  auto it = sets_.find(key);
  if (it == sets_.end()) // not queued: make it here
    return make_and_store(lock, key);
  cv_.wait(lock, [&] { return it->second != nullptr; });
  return *it->second;
}

std::size_t frame_library::made() const {
  std::lock_guard<std::mutex> lock{mu_};
  std::size_t n = 0;
  for (const auto& [key, set] : sets_)
    n += set ? 1 : 0;
  return n;
}

std::unique_ptr<std::vector<frame_image>>
frame_library::make_set(frame_key key) const {
  auto set = std::make_unique<frame_set>();
  for (const auto& f : base_)
    set->push_back(reencode_frame(f, key.quality, key.max_width));
  return set;
}

void frame_library::work() {
  std::unique_lock<std::mutex> lock{mu_};
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (stop_)
      return;
    const auto key = queue_.front();
    queue_.pop_front();
    make_and_store(lock, key);
  }
}

const frame_library::frame_set&
frame_library::make_and_store(std::unique_lock<std::mutex>& lock,
                              frame_key key) {
  lock.unlock();
  auto set = make_set(key);
  lock.lock();
  auto& slot = sets_[key];
  if (!slot)
    slot = std::move(set);
  cv_.notify_all();
  return *slot;
}

std::vector<frame_image> make_frame_set(frame_resolution res, int frame_kb,
                                        int variants) {
  std::vector<frame_image> out;
  const std::size_t kb720 = static_cast<std::size_t>(frame_kb) * 1024;
  const std::size_t kb480 =
      res == frame_resolution::mixed
          ? std::max<std::size_t>(30 * 1024, kb720 * 6 / 10)
          : kb720;
  for (int v = 0; v < variants; ++v) {
    if (res != frame_resolution::p480)
      out.push_back(make_frame(1280, 720, v, kb720));
    if (res != frame_resolution::p720)
      out.push_back(make_frame(640, 480, v, kb480));
  }
  return out;
}

std::string make_design_jpeg() {
  constexpr int n = 256;
  std::vector<std::uint8_t> rgb(n * n * 3);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x) {
      auto* p = &rgb[(y * n + x) * 3];
      const double t = (x + y) / (2.0 * n);
      const bool dot = ((x / 16 + y / 16) % 2 == 0) &&
                       std::hypot(x % 16 - 8, y % 16 - 8) < 3;
      p[0] = dot ? 255 : clamp8(200 - 80 * t);
      p[1] = dot ? 255 : clamp8(30 + 20 * t);
      p[2] = dot ? 255 : clamp8(150 + 90 * t);
    }
  return encode_jpeg(rgb, n, n, 90);
}

} // namespace tryon::bench
