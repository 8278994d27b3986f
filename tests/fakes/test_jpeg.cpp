#include "tests/fakes/test_jpeg.hpp"

#include <vector>

#include <turbojpeg.h>

namespace tryon::fakes {

std::string encode_jpeg(const std::vector<unsigned char>& rgb, int w, int h,
                        int quality) {
  tjhandle tj = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  tjCompress2(tj, rgb.data(), w, 0, h, TJPF_RGB, &out, &size, TJSAMP_420,
              quality, 0);
  std::string jpeg(reinterpret_cast<char*>(out), size);
  tjFree(out);
  tjDestroy(tj);
  return jpeg;
}

std::string make_jpeg(int w, int h, int flat_rgb) {
  std::vector<unsigned char> rgb(static_cast<std::size_t>(w) *
                                 static_cast<std::size_t>(h) * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      auto* p = &rgb[(static_cast<std::size_t>(y) * w + x) * 3];
      if (flat_rgb >= 0) {
        p[0] = static_cast<unsigned char>(flat_rgb >> 16);
        p[1] = static_cast<unsigned char>(flat_rgb >> 8);
        p[2] = static_cast<unsigned char>(flat_rgb);
      } else {
        p[0] = static_cast<unsigned char>(x * 255 / w);
        p[1] = static_cast<unsigned char>(y * 255 / h);
        p[2] = 96;
      }
    }
  return encode_jpeg(rgb, w, h);
}

std::string decode_jpeg(const std::string& jpeg, int& w, int& h) {
  tjhandle tj = tjInitDecompress();
  int subsamp = 0, cs = 0;
  auto* bytes = reinterpret_cast<const unsigned char*>(jpeg.data());
  std::string rgb;
  if (tjDecompressHeader3(tj, bytes, jpeg.size(), &w, &h, &subsamp, &cs) == 0) {
    rgb.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3);
    if (tjDecompress2(tj, bytes, jpeg.size(),
                      reinterpret_cast<unsigned char*>(rgb.data()), w, 0, h,
                      TJPF_RGB, 0) != 0)
      rgb.clear();
  }
  tjDestroy(tj);
  return rgb;
}

} // namespace tryon::fakes
