#include "bench/harness/tcp_info.hpp"

// The kernel's tcp_info: glibc's <netinet/tcp.h> (which Asio includes) stops
// before tcpi_bytes_acked, so this unit includes only the Linux header.
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>

namespace tryon::bench {

std::uint64_t tcp_bytes_acked(int fd) {
  struct tcp_info ti {};
  socklen_t len = sizeof ti;
  if (fd < 0 || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
    return 0;
  if (len <
      offsetof(struct tcp_info, tcpi_bytes_acked) + sizeof ti.tcpi_bytes_acked)
    return 0; // an older kernel
  return ti.tcpi_bytes_acked;
}

} // namespace tryon::bench
