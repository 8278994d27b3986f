// The nail reference URL tryon-ai receives in init_session (http:// or
// file://). Only the parser: reading or fetching is not fuzzed.
#include "ai_service/reference_url.hpp"
#include "fuzz/fuzz_check.hpp"

#include <variant>

using namespace tryon::ai;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto parsed = parse_reference_url(tryon::fuzz::as_text(data, size));
  if (auto* url = std::get_if<reference_url>(&parsed)) {
    if (url->scheme == reference_url::kind::file) {
      TRYON_FUZZ_CHECK(!url->path.empty() && url->path.front() == '/');
      TRYON_FUZZ_CHECK(url->path.find('\0') == std::string::npos);
    } else {
      TRYON_FUZZ_CHECK(!url->target.empty() && url->target.front() == '/');
      TRYON_FUZZ_CHECK(!url->port.empty());
    }
  } else {
    TRYON_FUZZ_CHECK(!std::get<pipeline_error>(parsed).message.empty());
  }
  return 0;
}
