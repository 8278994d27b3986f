#pragma once

// The certificates scripts/cluster uses (scripts/lib/tls.sh), made afresh in
// the build tree: a local CA and a server certificate for 127.0.0.1 and
// localhost signed by it. Needs openssl and bash (`ok` says whether they
// worked).

#include "real_parts.hpp"

#include <cstdlib>
#include <string>
#include <unistd.h>

namespace tryon::testing {

/// A throwaway CA directory below the build tree; removed on destruction.
struct local_ca {
  std::string dir =
      std::string{TRYON_BINARY_DIR} + "/local_ca_" + std::to_string(::getpid());
  bool ok = false;
  local_ca() {
    const std::string cmd = "TRYON_REPO='" + std::string{TRYON_SOURCE_DIR} +
                            "' bash -c 'source \"$TRYON_REPO/scripts/lib/"
                            "common.sh\" && source \"$TRYON_REPO/scripts/"
                            "lib/tls.sh\" && tryon_tls_certs \"$0\"' '" +
                            dir + "' 2>/dev/null";
    ok = std::system(cmd.c_str()) == 0;
  }
  ~local_ca() {
    std::string rm = "rm -rf '" + dir + "'";
    (void)std::system(rm.c_str());
  }
  local_ca(const local_ca&) = delete;
  local_ca& operator=(const local_ca&) = delete;

  std::string ca() const { return dir + "/ca.crt"; }
  std::string cert() const { return dir + "/server.crt"; }
  std::string key() const { return dir + "/server.key"; }
};

} // namespace tryon::testing

/// Fails (or, opted out, skips) the test when `ca` (a local_ca) could not
/// be made.
#define TRYON_REQUIRE_LOCAL_CA(ca)                                             \
  TRYON_REQUIRE_REAL_PART((ca).ok, "openssl (scripts/lib/tls.sh could not "    \
                                   "make a CA in " +                           \
                                       (ca).dir + ")")
