#include "tests/persistence/test_database.hpp"

#include <cstdlib>

#include <unistd.h>

#include "persistence/random_hex.hpp"

namespace tryon::pgtest {

std::string with_database(const std::string& url, const std::string& name) {
  auto authority = url.find("://");
  auto start = authority == std::string::npos ? 0 : authority + 3;
  auto query = url.find('?', start);
  auto slash = url.find('/', start);
  if (slash == std::string::npos || slash > query)
    slash = query == std::string::npos ? url.size() : query;
  auto rest = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, slash) + "/" + name + rest;
}

test_database::test_database(const std::string& admin_url)
  : admin_url_(admin_url), name_("tryon_t_" + std::to_string(::getpid()) + "_" +
                                 persistence::random_hex(6)),
    url_(with_database(admin_url, name_)) {
  pqxx::connection admin{admin_url_};
  pqxx::nontransaction tx{admin};
  tx.exec("create database " + name_);
}

test_database::~test_database() {
  conn_.reset();
  try {
    pqxx::connection admin{admin_url_};
    pqxx::nontransaction tx{admin};
    tx.exec("drop database if exists " + name_ + " with (force)");
  } catch (const std::exception&) {
    // The server went away: nothing left to clean up on it.
  }
}

std::string test_database::admin_url() {
  const char* url = std::getenv("TRYON_TEST_DATABASE_URL");
  return url == nullptr ? std::string{} : std::string{url};
}

test_database* test_database::shared() {
  static std::unique_ptr<test_database> db = [] {
    auto admin = admin_url();
    return admin.empty() ? nullptr : std::make_unique<test_database>(admin);
  }();
  return db.get();
}

pqxx::result test_database::exec(const std::string& sql) {
  if (!conn_ || !conn_->is_open())
    conn_ = std::make_unique<pqxx::connection>(url_);
  pqxx::nontransaction tx{*conn_};
  return tx.exec(sql);
}

} // namespace tryon::pgtest

// libpqxx 6.4 leaks the PGresult of a BEGIN/COMMIT that fails because the
// server dropped the connection (see jtv/libpqxx "Fix memory leak when
// connection fails"): ~2 KB per dropped connection, inside the library. The
// reconnect test provokes exactly that, so LeakSanitizer is told about it.
// Matched by module: libpqxx has no frame pointers, so ASan's fast unwinder
// stops inside it and never sees the function names.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libpqxx-6.4.so\n";
}
