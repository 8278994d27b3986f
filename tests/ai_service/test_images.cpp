#include "test_images.hpp"

#include <webp/encode.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace tryon::ai::test {

namespace {

void fill(rgb_image& img, rgb c) {
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x) {
      std::uint8_t* p = img.at(x, y);
      p[0] = c.r;
      p[1] = c.g;
      p[2] = c.b;
    }
}

template <class Inside>
void paint(rgb_image& img, rgb c, Inside inside) {
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x)
      if (inside(x + 0.5, y + 0.5)) {
        std::uint8_t* p = img.at(x, y);
        p[0] = c.r;
        p[1] = c.g;
        p[2] = c.b;
      }
}

// Distance from (px, py) to the segment (ax, ay)-(bx, by).
double segment_distance(double px, double py, double ax, double ay, double bx,
                        double by) {
  const double vx = bx - ax;
  const double vy = by - ay;
  const double t = std::clamp(
      ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy), 0.0, 1.0);
  return std::hypot(px - (ax + t * vx), py - (ay + t * vy));
}

} // namespace

rgb_image draw_hand(int w, int h, std::vector<drawn_tip>* tips) {
  rgb_image img(w, h);
  fill(img, background);
  const double sx = w / 1280.0;
  const double sy = h / 720.0;
  // Capsules: base, tip centre, radius (in 1280 x 720 units).
  struct capsule {
    double ax, ay, bx, by, r;
  };
  const capsule fingers[] = {
      {535, 420, 535, 182, 30}, // index
      {615, 420, 615, 152, 30}, // middle
      {695, 420, 695, 172, 30}, // ring
      {770, 430, 770, 212, 28}, // little
      {490, 520, 360, 390, 34}, // thumb
  };
  paint(img, skin, [&](double x, double y) {
    const double ux = x / sx;
    const double uy = y / sy;
    const double ex = (ux - 640) / 170;
    const double ey = (uy - 470) / 150;
    if (ex * ex + ey * ey <= 1)
      return true; // palm
    if (ux >= 520 && ux <= 760 && uy >= 540)
      return true; // wrist, down to the bottom edge
    for (const auto& f : fingers)
      if (segment_distance(ux, uy, f.ax, f.ay, f.bx, f.by) <= f.r)
        return true;
    return false;
  });
  if (tips != nullptr) {
    tips->clear();
    for (const auto& f : fingers) {
      const double len = std::hypot(f.bx - f.ax, f.by - f.ay);
      tips->push_back({(f.bx + (f.bx - f.ax) / len * f.r) * sx,
                       (f.by + (f.by - f.ay) / len * f.r) * sy});
    }
  }
  return img;
}

rgb_image draw_no_hand(int w, int h) {
  rgb_image img(w, h);
  fill(img, background);
  paint(img, rgb{70, 90, 200}, [&](double x, double y) {
    return x > w * 0.2 && x < w * 0.45 && y > h * 0.3 && y < h * 0.8;
  });
  paint(img, rgb{150, 150, 150}, [&](double x, double y) {
    return x > w * 0.55 && x < w * 0.8 && y > h * 0.2 && y < h * 0.6;
  });
  return img;
}

rgb_image draw_skin_disc(int w, int h) {
  rgb_image img(w, h);
  fill(img, background);
  paint(img, skin, [&](double x, double y) {
    return std::hypot(x - w / 2.0, y - h / 2.0) < h * 0.3;
  });
  return img;
}

std::string encode_webp(const rgb_image& img) {
  std::uint8_t* out = nullptr;
  const std::size_t size = WebPEncodeLosslessRGB(
      img.pixels.data(), img.width, img.height, img.width * 3, &out);
  std::string result(reinterpret_cast<const char*>(out), size);
  WebPFree(out);
  return result;
}

int pixel_diff(const rgb_image& a, const rgb_image& b, int x, int y) {
  int d = 0;
  for (int c = 0; c < 3; ++c)
    d = std::max(d, std::abs(a.at(x, y)[c] - b.at(x, y)[c]));
  return d;
}

} // namespace tryon::ai::test
