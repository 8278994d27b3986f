// A client's JSON text message (PROTOCOL.md 3.1).
#include "fuzz/fuzz_check.hpp"
#include "protocol/client_message.hpp"
#include "protocol/json_text.hpp"

#include <variant>

using namespace tryon::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto text = tryon::fuzz::as_text(data, size);
  auto parsed = parse_client_message(text);
  if (auto* err = std::get_if<parse_error>(&parsed))
    TRYON_FUZZ_CHECK(!err->message.empty());
  else
    TRYON_FUZZ_CHECK(parse_json_object(text).has_value());
  // The server echoes a ping's timestamp: dumping it must not throw.
  if (auto* msg = std::get_if<client_message>(&parsed))
    if (auto* ping = std::get_if<ping_msg>(msg))
      (void)dump_json(ping->timestamp);
  return 0;
}
