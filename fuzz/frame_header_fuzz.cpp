// The 1024-byte JSON header of a client's binary frame (PROTOCOL.md 3.2):
// the whole WebSocket message, as a phone would send it.
#include "fuzz/fuzz_check.hpp"
#include "protocol/client_frame.hpp"
#include "protocol/frame_header.hpp"

#include <variant>

using namespace tryon::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto message = tryon::fuzz::as_text(data, size);
  (void)decode_header_block(message);
  auto image = frame_image(message);
  TRYON_FUZZ_CHECK(image.size() ==
                   (size > frame_header_size ? size - frame_header_size : 0));

  auto decoded = decode_client_frame(message, 1 << 20);
  if (auto* header = std::get_if<client_frame_header>(&decoded)) {
    TRYON_FUZZ_CHECK(!image.empty());
    TRYON_FUZZ_CHECK(header->format == "jpeg" || header->format == "webp");
    // What the server accepted survives its own encoding unchanged.
    auto again = decode_client_frame(encode_client_frame(*header, image),
                                     std::size_t{1} << 21);
    auto* same = std::get_if<client_frame_header>(&again);
    TRYON_FUZZ_CHECK(same != nullptr);
    TRYON_FUZZ_CHECK(same->sequence == header->sequence);
    TRYON_FUZZ_CHECK(same->timestamp == header->timestamp);
    TRYON_FUZZ_CHECK(same->width == header->width);
    TRYON_FUZZ_CHECK(same->height == header->height);
    TRYON_FUZZ_CHECK(same->format == header->format);
  } else {
    TRYON_FUZZ_CHECK(!std::get<parse_error>(decoded).message.empty());
  }
  return 0;
}
