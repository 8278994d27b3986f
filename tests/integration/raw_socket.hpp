#pragma once

// Plain sockets for clients that misbehave in ways a WebSocket library will
// not (hostile_client_test, netns_fault_test), and /proc figures of the
// server they talk to.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include <sys/types.h>

namespace tryon::testing {

/// A TCP connection from `source` (an IPv4 address to bind; null or empty:
/// the kernel picks) to `server`:`port`, with a receive buffer of `rcvbuf`
/// bytes (0: the kernel's), set before connect() so the window the server
/// sees is small too; -1 on failure.
int connect_from(const char* source, int port, int rcvbuf = 0,
                 const char* server = "127.0.0.1");

/// Sends all of `bytes` (blocking); stops quietly when the peer is gone.
void send_all(int fd, const std::string& bytes);

/// The kernel's view of the connection: false once the server has closed
/// its end (FIN or reset), without reading a byte of what it sent.
bool still_established(int fd);

/// Polls still_established() until it turns false or `limit` passes.
bool closed_by_server_within(int fd, std::chrono::milliseconds limit);

/// A masked client WebSocket frame (text unless `opcode` says otherwise:
/// 2 is binary).
std::string ws_frame(const std::string& payload, std::uint8_t opcode = 1);

/// Reads the upgrade answer (up to the blank line) with a deadline.
std::string read_http_head(int fd, std::chrono::milliseconds limit);

/// Everything the server sends until it closes or `limit` passes.
std::string read_until_closed(int fd, std::chrono::milliseconds limit);

/// Open sockets of `pid`.
std::size_t open_sockets(pid_t pid);

/// Resident memory of `pid` in KiB (VmRSS), 0 when unreadable.
std::size_t rss_kib(pid_t pid);

/// ASAN_OPTIONS for a server whose memory a test measures: a small
/// quarantine, so freed blocks do not stay resident.
std::string server_options();

} // namespace tryon::testing
