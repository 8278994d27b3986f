#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace pqxx {
class connection_base;
} // namespace pqxx

namespace tryon::persistence {

/// Time limits every pooled connection gets, so that a database that stops
/// answering fails a request instead of holding a worker thread forever.
struct pg_timeouts {
  /// libpq's connect_timeout (whole seconds; libpq treats 1 as 2).
  std::chrono::seconds connect{5};
  /// PostgreSQL's statement_timeout for every statement (0: none).
  std::chrono::milliseconds statement{10000};
};

/// A fixed-size pool of PostgreSQL connections. Connections open lazily on
/// first use and reopen on the next use after one broke; every connection
/// prepares the statements registered with add_statement(). Each connection
/// gets `timeouts`: connect_timeout added to the URL (unless it names one)
/// and statement_timeout set once connected. Thread-safe;
/// acquire() blocks, so call it from a thread that may block.
class pg_pool {
public:
  /// A borrowed connection, given back when the lease is destroyed.
  class lease {
  public:
    lease(lease&& other) noexcept;
    lease& operator=(lease&&) = delete;
    ~lease();

    /// The connection; valid while the lease lives.
    pqxx::connection_base& conn() const;

    /// Closes the connection (it broke) so the next user reconnects.
    void discard() noexcept;

  private:
    friend class pg_pool;
    lease(pg_pool* pool, std::size_t slot) : pool_(pool), slot_(slot) {}
    pg_pool* pool_;
    std::size_t slot_;
    bool discard_ = false;
  };

  /// `size` connections to `url` (libpq URI or key=value string); acquire()
  /// gives up after `acquire_timeout`.
  pg_pool(std::string url, std::size_t size,
          std::chrono::milliseconds acquire_timeout = std::chrono::seconds(5),
          pg_timeouts timeouts = {});
  ~pg_pool();
  pg_pool(const pg_pool&) = delete;
  pg_pool& operator=(const pg_pool&) = delete;

  /// Registers a statement that every connection prepares as `name`.
  void add_statement(const std::string& name, const std::string& sql);

  /// Borrows a connection, opening it if needed. Throws store_error when none
  /// frees up in time or the database cannot be reached.
  lease acquire();

  /// The connection string given at construction.
  const std::string& url() const noexcept { return url_; }

  /// The number of connections.
  std::size_t size() const noexcept { return slots_.size(); }

  /// The connection string actually used (the URL plus connect_timeout).
  const std::string& conninfo() const noexcept { return conninfo_; }

  /// How many transactions were run again on a fresh connection because
  /// the pooled one had broken (e.g. PostgreSQL restarted).
  std::size_t retries() const noexcept { return retries_.load(); }

  /// Counts one such retry (pg_exec.hpp).
  void count_retry() noexcept { retries_.fetch_add(1); }

private:
  struct slot;
  void give_back(std::size_t i, bool discard) noexcept;
  pqxx::connection_base& conn_of(std::size_t i) const;

  std::string url_;
  std::string conninfo_;
  std::chrono::milliseconds timeout_;
  pg_timeouts limits_;
  std::atomic<std::size_t> retries_{0};
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<slot>> slots_;
  std::vector<std::size_t> free_;
  std::vector<std::pair<std::string, std::string>> statements_;
};

} // namespace tryon::persistence
