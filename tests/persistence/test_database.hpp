#pragma once

#include <memory>
#include <string>

#include <pqxx/pqxx>

namespace tryon::pgtest {

/// A throwaway database `tryon_t_<random>` on the server named by
/// TRYON_TEST_DATABASE_URL, created in the constructor and dropped in the
/// destructor, so test binaries running in parallel never share tables.
class test_database {
public:
  /// Creates a fresh, empty database next to the one in `admin_url`.
  explicit test_database(const std::string& admin_url);
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  /// TRYON_TEST_DATABASE_URL, or empty when unset (tests then skip).
  static std::string admin_url();

  /// The database shared by the tests of this process, migrated; nullptr
  /// when TRYON_TEST_DATABASE_URL is unset.
  static test_database* shared();

  /// The new database's URL.
  const std::string& url() const noexcept { return url_; }

  /// Runs `sql` outside any store (setup and inspection).
  pqxx::result exec(const std::string& sql);

private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
  std::unique_ptr<pqxx::connection> conn_;
};

/// `url` with its database name replaced by `name`.
std::string with_database(const std::string& url, const std::string& name);

} // namespace tryon::pgtest
