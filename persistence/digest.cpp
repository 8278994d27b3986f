#include "persistence/digest.hpp"

#include <openssl/evp.h>

#include "persistence/store_error.hpp"

namespace tryon::persistence {

namespace {

std::string hex_digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1)
    throw store_error("digest failed");
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    hex += digits[out[i] >> 4];
    hex += digits[out[i] & 0x0f];
  }
  return hex;
}

} // namespace

std::string sha256_hex(std::string_view data) {
  return hex_digest(EVP_sha256(), data);
}

std::string sha1_hex(std::string_view data) {
  return hex_digest(EVP_sha1(), data);
}

} // namespace tryon::persistence
