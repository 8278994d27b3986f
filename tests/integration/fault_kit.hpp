#pragma once

// Real faults for the reliability tests (docs/RELIABILITY.md): a PostgreSQL
// cluster and a Redis of the test's own (so they can be restarted without
// disturbing other tests), a small tmpfs (a disk that fills up) and a
// network namespace joined to this one by a veth pair (a phone on a link
// that can be delayed, made lossy or cut without a FIN). Each undoes
// itself in its destructor, also when the test fails. The tmpfs and the
// namespace need root.

#include <functional>
#include <memory>
#include <string>

#include "child_process.hpp"

namespace tryon::testing {

/// Runs `command` with /bin/sh; its output goes to `log` (appended) when
/// given. Returns the exit status (-1 when it could not run).
int run_command(const std::string& command, const std::string& log = {});

/// Whether this process runs as root (tmpfs and namespaces need it).
bool running_as_root();

/// A PostgreSQL 15 cluster in a temp dir on a free port, trusting
/// 127.0.0.1, fsync off. As root, it runs as the `postgres` user.
class throwaway_pg {
public:
  throwaway_pg();
  ~throwaway_pg();
  throwaway_pg(const throwaway_pg&) = delete;
  throwaway_pg& operator=(const throwaway_pg&) = delete;

  /// Whether it started; why() says what failed.
  bool ok() const { return ok_; }
  const std::string& why() const { return why_; }

  /// A URL for the `postgres` database as the superuser `tryon`.
  std::string admin_url() const;

  /// pg_ctl restart -m fast: every connection is closed, the server is
  /// back when this returns.
  bool restart();
  /// pg_ctl stop -m fast.
  bool stop();
  /// pg_ctl start (after stop()).
  bool start();

private:
  bool pg_ctl(const std::string& args);
  std::string dir_;
  int port_ = 0;
  bool ok_ = false;
  std::string why_;
};

/// A redis-server of the test's own on a free port, no persistence.
class throwaway_redis {
public:
  throwaway_redis();
  ~throwaway_redis();

  /// Whether it answers.
  bool ok() const { return proc_ != nullptr; }
  /// redis://127.0.0.1:<port>
  std::string url() const;
  /// Kills it (SIGKILL: every key is lost, as in a crash).
  void kill();
  /// Starts it again on the same port; true once it answers.
  bool start();

private:
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<child_process> proc_;
};

/// A tmpfs of `bytes` mounted on `dir` (created); unmounted on destruction,
/// then `dir` and its parent are removed if empty.
class tmpfs_mount {
public:
  tmpfs_mount(std::string dir, std::size_t bytes);
  ~tmpfs_mount();
  bool ok() const { return ok_; }
  const std::string& why() const { return why_; }
  const std::string& dir() const { return dir_; }

private:
  std::string dir_;
  bool ok_ = false;
  std::string why_;
};

/// A network namespace (the "phone") joined to this one by a veth pair:
/// host_ip() here, phone_ip() there, a /30 of 10.x.y.z picked from the pid.
class phone_netns {
public:
  phone_netns();
  ~phone_netns();
  phone_netns(const phone_netns&) = delete;
  phone_netns& operator=(const phone_netns&) = delete;

  bool ok() const { return ok_; }
  const std::string& why() const { return why_; }

  /// The server's address as the phone sees it.
  const std::string& host_ip() const { return host_ip_; }

  /// Runs `fn` on this thread inside the namespace: sockets made there
  /// stay in it (a phone's connection) after we switch back.
  void inside(const std::function<void()>& fn);

  /// A root qdisc on both ends of the link, e.g. "netem delay 40ms loss
  /// 2%" or "tbf rate 8mbit burst 16kb latency 50ms"; false when the
  /// kernel lacks it.
  bool shape(const std::string& qdisc);

  /// `tc -s qdisc show` of both ends (sent, dropped, overlimits).
  std::string qdisc_stats();

  /// Cuts the link silently: the phone's end goes down, what the server
  /// sends is dropped (no FIN, no RST, no ICMP), as when a phone loses its
  /// radio.
  bool cut();

  /// Brings the phone's end up again (after cut()).
  bool restore();

private:
  std::string ns_, host_if_, phone_if_, host_ip_, phone_ip_;
  bool ok_ = false;
  std::string why_;
};

} // namespace tryon::testing
