// MIME header values with parameters (Content-Type, Content-Disposition):
// `value; name=token; other="quoted \"string\""`.
//
// Input: the parameter name to look up, a NUL, the header value.
#include "fuzz/fuzz_check.hpp"
#include "protocol/mime_params.hpp"
#include "protocol/multipart.hpp"

using namespace tryon::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto [name, value] =
      tryon::fuzz::split_at_nul(tryon::fuzz::as_text(data, size));
  if (value.empty())
    value = name;
  auto main = mime_main_value(value);
  TRYON_FUZZ_CHECK(main.size() <= value.size());
  auto trimmed = trim_space(value);
  TRYON_FUZZ_CHECK(trimmed.size() <= value.size());
  TRYON_FUZZ_CHECK(iequals(value, value));
  if (auto param = mime_param(value, name))
    TRYON_FUZZ_CHECK(param->size() <= value.size());
  for (const char* known : {"name", "filename", "boundary", "charset"})
    (void)mime_param(value, known);
  if (auto boundary = multipart_boundary(value))
    TRYON_FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70);
  return 0;
}
