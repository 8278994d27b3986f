#pragma once

// Internal to the PostgreSQL stores: runs work on a pooled connection and
// turns libpqxx exceptions into store_error. Not for use outside persistence/.

#include <cctype>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include <pqxx/pqxx>

#include "persistence/pg_pool.hpp"
#include "persistence/store_error.hpp"
#include "persistence/types.hpp"

namespace tryon::persistence::detail {

/// SQL for "this timestamptz column as epoch_us".
#define TRYON_SQL_US(col) "(extract(epoch from " col ")*1000000)::bigint"

/// SQL for "this epoch_us parameter as a timestamptz".
#define TRYON_SQL_TS(param)                                                    \
  "(timestamptz 'epoch' + " param "::bigint * interval '1 microsecond')"

/// Whether `e` says the session's connection is gone: the server was shut
/// down or restarted under it (SQLSTATE class 57P: admin or crash
/// shutdown, cannot connect now) or the link broke (class 08).
inline bool connection_lost(const pqxx::sql_error& e) {
  const auto& state = e.sqlstate();
  return state.rfind("57P", 0) == 0 || state.rfind("08", 0) == 0;
}

/// Runs `f(pqxx::work&)` in one transaction on a pooled connection and
/// commits; every driver exception leaves as store_error (`what` names the
/// operation). A unique violation becomes store_error{conflict = true}.
///
/// A pooled connection that broke before COMMIT (PostgreSQL restarted, a
/// backend was terminated) is discarded and the whole transaction runs once
/// more on a fresh connection: PostgreSQL rolled the first attempt back when
/// its connection died, so nothing runs twice. A failure *during* COMMIT
/// (in_doubt_error: it may have committed) is never retried. `f` must touch
/// nothing but `tx` (every store's does), so running it again is safe.
template <class F>
auto transact(pg_pool& pool, const char* what, F&& f) {
  auto fail = [what](const std::exception& e) {
    return std::string(what) + ": " + e.what();
  };
  for (int attempt = 1;; ++attempt) {
    auto lease = pool.acquire();
    auto lost = [&](const std::exception& e) {
      lease.discard();
      if (attempt >= 2)
        throw store_error(fail(e));
      pool.count_retry();
    };
    try {
      pqxx::work tx{lease.conn()};
      if constexpr (std::is_void_v<decltype(f(tx))>) {
        f(tx);
        tx.commit();
        return;
      } else {
        auto out = f(tx);
        tx.commit();
        return out;
      }
    } catch (const pqxx::unique_violation& e) {
      throw store_error(fail(e), true);
    } catch (const pqxx::broken_connection& e) {
      lost(e);
    } catch (const pqxx::in_doubt_error& e) {
      lease.discard();
      throw store_error(fail(e));
    } catch (const pqxx::sql_error& e) {
      if (!connection_lost(e))
        throw store_error(fail(e));
      lost(e);
    } catch (const store_error&) {
      throw;
    } catch (const std::exception& e) {
      throw store_error(fail(e));
    }
  }
}

/// A nullable bigint column.
inline std::optional<std::int64_t> opt_i64(const pqxx::field& f) {
  if (f.is_null())
    return std::nullopt;
  return f.as<std::int64_t>();
}

/// A nullable text column.
inline std::optional<std::string> opt_str(const pqxx::field& f) {
  if (f.is_null())
    return std::nullopt;
  return f.as<std::string>();
}

/// A nullable double precision column.
inline std::optional<double> opt_f64(const pqxx::field& f) {
  if (f.is_null())
    return std::nullopt;
  return f.as<double>();
}

/// A jsonb column read as text.
inline nlohmann::json json_of(const pqxx::field& f) {
  if (f.is_null())
    return nlohmann::json::object();
  return nlohmann::json::parse(f.c_str());
}

/// True for a canonical UUID (hex digits and dashes in 8-4-4-4-12 groups);
/// the stores answer "not found" for anything else instead of a SQL error.
inline bool is_uuid(const std::string& s) {
  if (s.size() != 36)
    return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-') ||
        (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))))
      return false;
  }
  return true;
}

} // namespace tryon::persistence::detail
