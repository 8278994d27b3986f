#include "persistence/pg_pool.hpp"

#include <pqxx/pqxx>

#include "persistence/store_error.hpp"

namespace tryon::persistence {

/// One connection and how many registered statements it has prepared.
struct pg_pool::slot {
  std::unique_ptr<pqxx::connection> conn;
  std::size_t prepared = 0;
};

// -- lease --------------------------------------------------------------------

pg_pool::lease::lease(lease&& other) noexcept
  : pool_(std::exchange(other.pool_, nullptr)), slot_(other.slot_),
    discard_(other.discard_) {}

pg_pool::lease::~lease() {
  if (pool_ != nullptr)
    pool_->give_back(slot_, discard_);
}

pqxx::connection_base& pg_pool::lease::conn() const {
  return pool_->conn_of(slot_);
}

void pg_pool::lease::discard() noexcept {
  discard_ = true;
}

// -- pool ---------------------------------------------------------------------

namespace {

/// `url` with connect_timeout added, unless the operator set one already.
std::string with_connect_timeout(const std::string& url,
                                 std::chrono::seconds timeout) {
  if (timeout.count() <= 0 || url.find("connect_timeout") != std::string::npos)
    return url;
  auto value = std::to_string(timeout.count());
  bool uri =
      url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
  if (!uri)
    return url + " connect_timeout=" + value;
  auto sep = url.find('?') == std::string::npos ? '?' : '&';
  return url + sep + "connect_timeout=" + value;
}

} // namespace

pg_pool::pg_pool(std::string url, std::size_t size,
                 std::chrono::milliseconds acquire_timeout,
                 pg_timeouts timeouts)
  : url_(std::move(url)),
    conninfo_(with_connect_timeout(url_, timeouts.connect)),
    timeout_(acquire_timeout), limits_(timeouts) {
  if (size == 0)
    size = 1;
  for (std::size_t i = 0; i < size; ++i) {
    slots_.push_back(std::make_unique<slot>());
    free_.push_back(size - 1 - i);
  }
}

pg_pool::~pg_pool() = default;

void pg_pool::add_statement(const std::string& name, const std::string& sql) {
  std::lock_guard<std::mutex> guard{mu_};
  statements_.emplace_back(name, sql);
}

pg_pool::lease pg_pool::acquire() {
  std::unique_lock<std::mutex> lock{mu_};
  if (!freed_.wait_for(lock, timeout_, [this] { return !free_.empty(); }))
    throw store_error("database pool exhausted: no connection within " +
                      std::to_string(timeout_.count()) + " ms");
  auto i = free_.back();
  free_.pop_back();
  auto& s = *slots_[i];
  std::vector<std::pair<std::string, std::string>> pending;
  if (s.conn && s.conn->is_open()) {
    pending.assign(statements_.begin() + static_cast<long>(s.prepared),
                   statements_.end());
  } else {
    s.conn.reset();
    s.prepared = 0;
    pending = statements_;
  }
  lock.unlock(); // connecting takes round trips: don't hold up the others
  lease result{this, i};
  try {
    if (!s.conn) {
      s.conn = std::make_unique<pqxx::connection>(conninfo_);
      // set_variable, not a plain SET: libpqxx 6 restores it when it
      // reconnects by itself (e.g. retrying a BEGIN after PostgreSQL
      // restarted), where a plain SET would be lost.
      if (limits_.statement.count() > 0)
        s.conn->set_variable("statement_timeout",
                             std::to_string(limits_.statement.count()));
    }
    // Preparing is lazy in libpqxx 6: this only records the definitions.
    for (const auto& [name, sql] : pending)
      s.conn->prepare(name, sql);
  } catch (const std::exception& e) {
    result.discard();
    throw store_error(std::string("database unreachable: ") + e.what());
  }
  s.prepared += pending.size();
  return result;
}

void pg_pool::give_back(std::size_t i, bool discard) noexcept {
  std::unique_ptr<pqxx::connection> dead;
  {
    std::lock_guard<std::mutex> guard{mu_};
    if (discard) {
      dead = std::move(slots_[i]->conn);
      slots_[i]->prepared = 0;
    }
    free_.push_back(i);
  }
  freed_.notify_one();
  // `dead` closes outside the lock.
}

pqxx::connection_base& pg_pool::conn_of(std::size_t i) const {
  return *slots_[i]->conn;
}

} // namespace tryon::persistence
