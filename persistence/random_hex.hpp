#pragma once

#include <cstddef>
#include <string>

namespace tryon::persistence {

/// `bytes` bytes from the kernel's CSPRNG (getrandom), as lower-case hex.
/// Throws store_error if the kernel refuses.
std::string random_hex(std::size_t bytes);

/// A random (version 4) UUID in canonical lower-case form.
std::string random_uuid();

} // namespace tryon::persistence
