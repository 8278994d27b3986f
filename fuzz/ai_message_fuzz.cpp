// JSON text messages between the server and tryon-ai, both directions: the
// server parses the AI's events, tryon-ai parses the server's requests.
#include "fuzz/fuzz_check.hpp"
#include "protocol/ai_message.hpp"

#include <variant>

using namespace tryon::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto text = tryon::fuzz::as_text(data, size);
  auto event = parse_ai_event(text);
  if (auto* err = std::get_if<parse_error>(&event))
    TRYON_FUZZ_CHECK(!err->message.empty());
  auto request = parse_ai_request(text);
  if (auto* err = std::get_if<parse_error>(&request))
    TRYON_FUZZ_CHECK(!err->message.empty());
  return 0;
}
