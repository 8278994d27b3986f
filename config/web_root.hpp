#pragma once

#include <string>

namespace tryon::config {

/// The browser client's directory when neither TRYON_WEB_ROOT nor
/// --web-root is given: the installed one,
/// `<directory of this executable>/TRYON_WEB_ROOT_FROM_BINDIR` (compiled in
/// from the install layout: `../share/tryon-server/web`), when that is a
/// directory; otherwise `web` below the working directory (a checkout).
std::string default_web_root();

/// Same, for an executable at `exe` (testable without installing).
std::string default_web_root_for(const std::string& exe);

} // namespace tryon::config
