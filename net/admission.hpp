#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/address_range.hpp"

namespace tryon::net {

/// Counts open connections per node and per client address, and says
/// whether one more may open. Thread-safe; no sockets (unit-tested alone).
class connection_admission {
public:
  /// Why a connection was turned away (or that it was not).
  enum class verdict { admitted, node_full, address_full };

  /// Holds one connection's place; gives it back when destroyed. Must not
  /// outlive the admission that issued it.
  class slot {
  public:
    slot(const slot&) = delete;
    slot& operator=(const slot&) = delete;
    ~slot();

    /// The address this connection is counted under ("" = none).
    const std::string& address() const { return address_; }

  private:
    friend class connection_admission;
    slot(connection_admission& owner, std::string address)
      : owner_(owner), address_(std::move(address)) {}
    connection_admission& owner_;
    std::string address_;
  };

  /// `max_total` connections per node, `max_per_address` per address.
  connection_admission(std::size_t max_total, std::size_t max_per_address);

  /// A slot for a new connection from `address` ("" counts toward the
  /// node's total only: a trusted proxy's own address), or why not.
  std::pair<verdict, std::unique_ptr<slot>> admit(const std::string& address);

  /// Counts `s` under `address` from now on (a proxied request named its
  /// client); on refusal `s` keeps its old address.
  verdict move_to(slot& s, const std::string& address);

  /// Open connections.
  std::size_t open() const;

  /// Open connections counted under `address`.
  std::size_t open_from(const std::string& address) const;

  /// The node cap.
  std::size_t max_total() const { return max_total_; }

private:
  void release(const std::string& address);

  const std::size_t max_total_;
  const std::size_t max_per_address_;
  mutable std::mutex mutex_;
  std::size_t open_ = 0;
  std::unordered_map<std::string, std::size_t> per_address_;
};

/// Connections a node may hold given its descriptor limit: what is left
/// after PostgreSQL (one per database thread), Redis, the AI link and a
/// margin for files, the listener and the log. At least 1.
std::size_t default_connection_cap(std::uint64_t descriptor_limit,
                                   int db_threads, int ai_connections);

/// Raises the soft descriptor limit to the hard one; returns the limit now
/// in force.
std::uint64_t raise_descriptor_limit();

/// Counts repeated events (refused connections, failed accepts) and says
/// when to log them: the first at once, then at most once per `interval`
/// with how many happened since, so a flood writes a line per interval,
/// not a line per event.
class event_tally {
public:
  using clock = std::chrono::steady_clock;

  explicit event_tally(clock::duration interval) : interval_(interval) {}

  /// Counts one event at `now`; returns how many to report (this one
  /// included) when a line is due.
  std::optional<std::uint64_t> note(clock::time_point now);

private:
  clock::duration interval_;
  std::optional<clock::time_point> last_report_;
  std::uint64_t pending_ = 0;
};

/// Whether a body that has delivered `bytes` after `elapsed` keeps to
/// `min_rate` bytes/s; the first `grace` is free (slow start, a pause).
bool body_rate_ok(std::uint64_t bytes, std::chrono::milliseconds elapsed,
                  std::uint64_t min_rate, std::chrono::milliseconds grace);

/// The client's address: `peer` unless `peer` is a trusted proxy, in which
/// case the right-most address of `forwarded_for` (X-Forwarded-For, every
/// occurrence joined by commas) that is not itself a trusted proxy, since
/// only the proxies' own entries can be believed. Entries that are not
/// addresses end the walk (the peer's claim stops there). `peer` when the
/// header names nobody usable.
std::string client_address(const std::string& peer,
                           std::string_view forwarded_for,
                           const std::vector<config::address_range>& trusted);

/// Whether `address` is one of `trusted`.
bool is_trusted(const std::string& address,
                const std::vector<config::address_range>& trusted);

/// Whether `path` (without the query) is one of the probes the admin
/// listener serves: /healthz, /readyz, /metrics.
bool is_probe_path(std::string_view path);

} // namespace tryon::net
