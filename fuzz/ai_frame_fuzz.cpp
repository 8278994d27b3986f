// Binary frames between the server and tryon-ai (1024-byte header + image),
// both directions.
#include "fuzz/fuzz_check.hpp"
#include "protocol/ai_message.hpp"

#include <variant>

using namespace tryon::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto message = tryon::fuzz::as_text(data, size);
  auto processed = decode_ai_processed_frame(message);
  if (auto* h = std::get_if<ai_processed_header>(&processed)) {
    // What tryon-ai's encoder writes, the server's decoder reads back.
    auto again = decode_ai_processed_frame(
        encode_ai_processed_frame(*h, frame_image(message)));
    if (auto* same = std::get_if<ai_processed_header>(&again)) {
      TRYON_FUZZ_CHECK(same->session_id == h->session_id);
      TRYON_FUZZ_CHECK(same->sequence == h->sequence);
    }
  }
  auto request = decode_ai_frame_request(message);
  if (auto* h = std::get_if<ai_frame_request_header>(&request)) {
    auto again = decode_ai_frame_request(
        encode_ai_frame(h->session_id, h->sequence, h->timestamp, h->format,
                        frame_image(message)));
    if (auto* same = std::get_if<ai_frame_request_header>(&again)) {
      TRYON_FUZZ_CHECK(same->session_id == h->session_id);
      TRYON_FUZZ_CHECK(same->sequence == h->sequence);
      TRYON_FUZZ_CHECK(same->timestamp == h->timestamp);
    }
  }
  return 0;
}
