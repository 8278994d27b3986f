#include "ai_service/image_codec.hpp"

#include <turbojpeg.h>
#include <webp/decode.h>
#ifdef TRYON_AI_HAVE_PNG
#include <png.h>
#endif

#include <cstring>
#include <memory>

namespace tryon::ai {

namespace {

// TurboJPEG handles are not thread-safe but are reusable: one per thread.
struct tj_handle {
  tjhandle h;
  explicit tj_handle(tjhandle handle) : h(handle) {}
  ~tj_handle() {
    if (h != nullptr)
      tjDestroy(h);
  }
  tj_handle(const tj_handle&) = delete;
  tj_handle& operator=(const tj_handle&) = delete;
};

tjhandle decompressor() {
  thread_local tj_handle handle{tjInitDecompress()};
  return handle.h;
}

tjhandle compressor() {
  thread_local tj_handle handle{tjInitCompress()};
  return handle.h;
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

bool sane_size(int w, int h) {
  return w > 0 && h > 0 && w <= max_image_side && h <= max_image_side;
}

pipeline_result<rgb_image> decode_jpeg(std::string_view bytes, int min_side) {
  tjhandle tj = decompressor();
  if (tj == nullptr)
    return pipeline_error{"TurboJPEG initialisation failed"};
  int w = 0;
  int h = 0;
  int subsamp = 0;
  int colorspace = 0;
  if (tjDecompressHeader3(tj, bytes_of(bytes),
                          static_cast<unsigned long>(bytes.size()), &w, &h,
                          &subsamp, &colorspace) != 0)
    return pipeline_error{std::string{"bad JPEG header: "} +
                          tjGetErrorStr2(tj)};
  if (!sane_size(w, h))
    return pipeline_error{"JPEG dimensions out of range"};
  int out_w = w;
  int out_h = h;
  if (min_side > 0) {
    // Factors come largest first (2/1 ... 1/8): keep the last one that is a
    // reduction and still leaves both sides >= min_side.
    int count = 0;
    const tjscalingfactor* f = tjGetScalingFactors(&count);
    for (int i = 0; f != nullptr && i < count; ++i) {
      if (f[i].num >= f[i].denom)
        continue;
      const int sw = TJSCALED(w, f[i]);
      const int sh = TJSCALED(h, f[i]);
      if (sw >= min_side && sh >= min_side && sw * sh < out_w * out_h) {
        out_w = sw;
        out_h = sh;
      }
    }
  }
  rgb_image img(out_w, out_h);
  if (tjDecompress2(tj, bytes_of(bytes),
                    static_cast<unsigned long>(bytes.size()), img.pixels.data(),
                    out_w, 0, out_h, TJPF_RGB, TJFLAG_STOPONWARNING) != 0)
    return pipeline_error{std::string{"corrupt JPEG: "} + tjGetErrorStr2(tj)};
  return img;
}

pipeline_result<rgb_image> decode_webp(std::string_view bytes) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  int w = 0;
  int h = 0;
  if (WebPGetInfo(data, bytes.size(), &w, &h) == 0)
    return pipeline_error{"bad WebP header"};
  if (!sane_size(w, h))
    return pipeline_error{"WebP dimensions out of range"};
  rgb_image img(w, h);
  if (WebPDecodeRGBInto(data, bytes.size(), img.pixels.data(),
                        img.pixels.size(), w * 3) == nullptr)
    return pipeline_error{"corrupt WebP data"};
  return img;
}

pipeline_result<rgb_image> decode_png(std::string_view bytes) {
#ifdef TRYON_AI_HAVE_PNG
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()) == 0)
    return pipeline_error{std::string{"bad PNG: "} + png.message};
  if (!sane_size(static_cast<int>(png.width), static_cast<int>(png.height))) {
    png_image_free(&png);
    return pipeline_error{"PNG dimensions out of range"};
  }
  png.format = PNG_FORMAT_RGB;
  rgb_image img(static_cast<int>(png.width), static_cast<int>(png.height));
  // Transparent areas are composed onto white, as a browser shows them.
  png_color white{255, 255, 255};
  if (png_image_finish_read(&png, &white, img.pixels.data(), 0, nullptr) == 0) {
    std::string msg = png.message;
    png_image_free(&png);
    return pipeline_error{"corrupt PNG: " + msg};
  }
  return img;
#else
  (void)bytes;
  return pipeline_error{"PNG decoding is not built in (libpng not found)"};
#endif
}

} // namespace

image_format detect_format(std::string_view b) {
  if (b.size() >= 3 && b.compare(0, 3, "\xFF\xD8\xFF") == 0)
    return image_format::jpeg;
  if (b.size() >= 8 && b.compare(0, 8, "\x89PNG\r\n\x1A\n") == 0)
    return image_format::png;
  if (b.size() >= 12 && b.compare(0, 4, "RIFF") == 0 &&
      b.compare(8, 4, "WEBP") == 0)
    return image_format::webp;
  return image_format::unknown;
}

bool png_supported() {
#ifdef TRYON_AI_HAVE_PNG
  return true;
#else
  return false;
#endif
}

pipeline_result<rgb_image> decode_image(std::string_view bytes, int min_side) {
  switch (detect_format(bytes)) {
  case image_format::jpeg:
    return decode_jpeg(bytes, min_side);
  case image_format::webp:
    return decode_webp(bytes);
  case image_format::png:
    return decode_png(bytes);
  case image_format::unknown:
    break;
  }
  return pipeline_error{"not a JPEG, PNG or WebP image"};
}

pipeline_result<std::string> encode_jpeg(const rgb_image& img, int quality) {
  if (img.empty())
    return pipeline_error{"cannot encode an empty image"};
  tjhandle tj = compressor();
  if (tj == nullptr)
    return pipeline_error{"TurboJPEG initialisation failed"};
  unsigned char* out = nullptr;
  unsigned long out_size = 0;
  if (tjCompress2(tj, img.pixels.data(), img.width, 0, img.height, TJPF_RGB,
                  &out, &out_size, TJSAMP_420, quality, 0) != 0) {
    tjFree(out);
    return pipeline_error{std::string{"JPEG encode failed: "} +
                          tjGetErrorStr2(tj)};
  }
  std::string result(reinterpret_cast<const char*>(out), out_size);
  tjFree(out);
  return result;
}

} // namespace tryon::ai
