// tryonctl's --url (the operator CLI's http:// server address).
#include "apps/tryonctl_url.hpp"
#include "fuzz/fuzz_check.hpp"

#include <stdexcept>

using namespace tryon::ctl;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string url{tryon::fuzz::as_text(data, size)};
  try {
    auto t = parse_http_url(url);
    TRYON_FUZZ_CHECK(!t.host.empty());
    TRYON_FUZZ_CHECK(!t.path.empty() && t.path.front() == '/');
    TRYON_FUZZ_CHECK(t.host.size() + t.path.size() <= url.size());
  } catch (const std::runtime_error& e) {
    TRYON_FUZZ_CHECK(e.what()[0] != '\0');
  }
  return 0;
}
