// The request target of every HTTP request (path + query), as the REST
// layer splits and percent-decodes it.
#include "config/url.hpp"
#include "fuzz/fuzz_check.hpp"
#include "net/http_types.hpp"
#include "protocol/uuid.hpp"

using namespace tryon::net;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto text = tryon::fuzz::as_text(data, size);
  for (bool plus : {false, true})
    if (auto decoded = tryon::config::percent_decode(text, plus)) {
      TRYON_FUZZ_CHECK(decoded->size() <= text.size());
      TRYON_FUZZ_CHECK(decoded->find('\0') == std::string::npos);
    }
  http_request req;
  req.method = "GET";
  req.target = std::string{text};
  if (!split_target(req))
    return 0;
  TRYON_FUZZ_CHECK(!req.path.empty() && req.path.front() == '/');
  TRYON_FUZZ_CHECK(req.path.find('\0') == std::string::npos);
  for (const auto& [key, value] : req.query) {
    TRYON_FUZZ_CHECK(key.find('\0') == std::string::npos);
    TRYON_FUZZ_CHECK(value.find('\0') == std::string::npos);
  }
  // Session and result ids come from path segments.
  auto last_slash = req.path.rfind('/');
  (void)tryon::protocol::is_canonical_uuid(
      std::string_view{req.path}.substr(last_slash + 1));
  return 0;
}
