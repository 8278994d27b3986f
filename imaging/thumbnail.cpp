#include "imaging/thumbnail.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <turbojpeg.h>

#include "imaging/resample.hpp"

namespace tryon::imaging {

namespace {

// Refuse absurd headers before allocating for them (a 16k x 4k frame fits).
constexpr long long max_pixels = 64LL * 1024 * 1024;

/// Owns a TurboJPEG handle.
struct tj_handle {
  tjhandle h;
  ~tj_handle() {
    if (h)
      tjDestroy(h);
  }
};

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

/// The smallest supported decode scale that still covers `target`.
image_size decode_size(image_size source, image_size target) {
  int n = 0;
  const tjscalingfactor* factors = tjGetScalingFactors(&n);
  image_size best = source;
  for (int i = 0; factors && i < n; ++i) {
    image_size s{TJSCALED(source.width, factors[i]),
                 TJSCALED(source.height, factors[i])};
    if (s.width >= target.width && s.height >= target.height &&
        s.width <= best.width && s.height <= best.height)
      best = s;
  }
  return best;
}

} // namespace

std::optional<image_size> jpeg_size(std::string_view jpeg) {
  if (jpeg.empty())
    return std::nullopt;
  tj_handle tj{tjInitDecompress()};
  int w = 0, h = 0, subsamp = 0, colorspace = 0;
  if (!tj.h || tjDecompressHeader3(tj.h, bytes_of(jpeg),
                                   static_cast<unsigned long>(jpeg.size()), &w,
                                   &h, &subsamp, &colorspace) != 0)
    return std::nullopt;
  if (w <= 0 || h <= 0)
    return std::nullopt;
  return image_size{w, h};
}

image_size thumbnail_size(image_size source, int longest_side) {
  int longest = std::max(source.width, source.height);
  if (longest_side <= 0 || longest <= longest_side)
    return source;
  double f = static_cast<double>(longest_side) / longest;
  return {std::max(1, static_cast<int>(std::lround(source.width * f))),
          std::max(1, static_cast<int>(std::lround(source.height * f)))};
}

std::optional<thumbnail> make_thumbnail(std::string_view jpeg, int longest_side,
                                        std::string& error, int quality) {
  auto source = jpeg_size(jpeg);
  if (!source) {
    error = "not a JPEG image";
    return std::nullopt;
  }
  if (static_cast<long long>(source->width) * source->height > max_pixels) {
    error = "image too large";
    return std::nullopt;
  }
  auto target = thumbnail_size(*source, longest_side);
  auto decoded = decode_size(*source, target);
  std::vector<unsigned char> rgb(static_cast<std::size_t>(decoded.width) *
                                 static_cast<std::size_t>(decoded.height) * 3);
  tj_handle dec{tjInitDecompress()};
  // Any warning (a truncated or corrupt stream) fails: a result must be whole.
  if (!dec.h ||
      tjDecompress2(dec.h, bytes_of(jpeg),
                    static_cast<unsigned long>(jpeg.size()), rgb.data(),
                    decoded.width, 0, decoded.height, TJPF_RGB, 0) != 0) {
    error = std::string("JPEG decode failed: ") + tjGetErrorStr2(dec.h);
    return std::nullopt;
  }
  if (decoded.width != target.width || decoded.height != target.height)
    rgb = shrink_rgb(rgb, decoded, target);
  tj_handle enc{tjInitCompress()};
  unsigned char* out = nullptr;
  unsigned long size = 0;
  if (!enc.h ||
      tjCompress2(enc.h, rgb.data(), target.width, 0, target.height, TJPF_RGB,
                  &out, &size, TJSAMP_420, quality, 0) != 0) {
    error = std::string("JPEG encode failed: ") + tjGetErrorStr2(enc.h);
    tjFree(out);
    return std::nullopt;
  }
  thumbnail t{std::string(reinterpret_cast<char*>(out), size), target};
  tjFree(out);
  return t;
}

} // namespace tryon::imaging
