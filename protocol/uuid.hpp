#pragma once

#include <string_view>

namespace tryon::protocol {

/// True for the 8-4-4-4-12 hex form (either case), e.g. session ids in paths.
bool is_canonical_uuid(std::string_view text);

} // namespace tryon::protocol
