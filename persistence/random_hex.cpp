#include "persistence/random_hex.hpp"

#include <cerrno>
#include <cstring>
#include <vector>

#include <sys/random.h>

#include "persistence/store_error.hpp"

namespace tryon::persistence {

namespace {

std::vector<unsigned char> random_bytes(std::size_t n) {
  std::vector<unsigned char> buf(n);
  std::size_t got = 0;
  while (got < n) {
    auto r = ::getrandom(buf.data() + got, n - got, 0);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      throw store_error(std::string("getrandom: ") + std::strerror(errno));
    }
    got += static_cast<std::size_t>(r);
  }
  return buf;
}

std::string to_hex(const std::vector<unsigned char>& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

} // namespace

std::string random_hex(std::size_t bytes) {
  return to_hex(random_bytes(bytes));
}

std::string random_uuid() {
  auto b = random_bytes(16);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40); // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80); // RFC 4122 variant
  auto h = to_hex(b);
  return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' +
         h.substr(16, 4) + '-' + h.substr(20);
}

} // namespace tryon::persistence
