// multipart/form-data uploads (POST /api/uploads): the Content-Type header
// and the body, parsed whole and in small chunks. The chunking must not
// change what the parser reports.
//
// Input: one byte of chunk size, then the Content-Type value, a NUL, and
// the body.
#include "fuzz/fuzz_check.hpp"
#include "protocol/multipart.hpp"

#include <algorithm>
#include <string>

using namespace tryon::protocol;

namespace {

struct transcript {
  std::string events; // every callback, data of one part merged
  bool fed = true;
  bool finished = false;
  std::string error;
};

transcript parse(const std::string& boundary, std::string_view body,
                 std::size_t chunk) {
  transcript t;
  bool in_data = false;
  multipart_parser::callbacks cb;
  cb.on_part_begin = [&](const multipart_part_info& info) {
    TRYON_FUZZ_CHECK(!in_data);
    t.events += "begin name=" + info.name +
                " filename=" + info.filename.value_or("(none)") +
                " type=" + info.content_type + "\n";
    in_data = true;
    return true;
  };
  cb.on_part_data = [&](std::string_view data) {
    TRYON_FUZZ_CHECK(in_data);
    TRYON_FUZZ_CHECK(!data.empty());
    t.events.append(data);
    return true;
  };
  cb.on_part_end = [&] {
    TRYON_FUZZ_CHECK(in_data);
    in_data = false;
    t.events += "\nend\n";
    return true;
  };
  multipart_parser parser(boundary, cb, 256);
  for (std::size_t at = 0; at < body.size() && t.fed; at += chunk)
    t.fed = parser.feed(body.substr(at, chunk));
  t.finished = parser.finish();
  TRYON_FUZZ_CHECK(t.finished == parser.done());
  TRYON_FUZZ_CHECK(t.finished || !parser.error().empty());
  t.error = parser.error();
  return t;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size < 1)
    return 0;
  std::size_t chunk = 1 + data[0] % 32;
  auto [content_type, body] =
      tryon::fuzz::split_at_nul(tryon::fuzz::as_text(data + 1, size - 1));
  auto boundary = multipart_boundary(content_type);
  if (!boundary)
    return 0;
  TRYON_FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70);
  auto whole = parse(*boundary, body, std::max<std::size_t>(body.size(), 1));
  auto chunked = parse(*boundary, body, chunk);
  TRYON_FUZZ_CHECK(whole.events == chunked.events);
  TRYON_FUZZ_CHECK(whole.fed == chunked.fed);
  TRYON_FUZZ_CHECK(whole.finished == chunked.finished);
  TRYON_FUZZ_CHECK(whole.error == chunked.error);
  return 0;
}
