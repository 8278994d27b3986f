#pragma once

#include <cstdint>

namespace tryon::bench {

/// Bytes of the TCP socket `fd`'s outgoing stream that the peer has
/// acknowledged (TCP_INFO tcpi_bytes_acked, Linux 4.1+): what really went
/// up the link, unlike what was written into the socket's send buffer.
/// 0 when unavailable.
std::uint64_t tcp_bytes_acked(int fd);

} // namespace tryon::bench
