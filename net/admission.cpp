#include "net/admission.hpp"

#include <algorithm>
#include <utility>

#include <sys/resource.h>

namespace tryon::net {

connection_admission::slot::~slot() {
  owner_.release(address_);
}

connection_admission::connection_admission(std::size_t max_total,
                                           std::size_t max_per_address)
  : max_total_(max_total), max_per_address_(max_per_address) {}

std::pair<connection_admission::verdict,
          std::unique_ptr<connection_admission::slot>>
connection_admission::admit(const std::string& address) {
  std::lock_guard lock{mutex_};
  if (open_ >= max_total_)
    return {verdict::node_full, nullptr};
  if (!address.empty()) {
    auto& n = per_address_[address];
    if (n >= max_per_address_)
      return {verdict::address_full, nullptr};
    ++n;
  }
  ++open_;
  return {verdict::admitted, std::unique_ptr<slot>{new slot{*this, address}}};
}

connection_admission::verdict
connection_admission::move_to(slot& s, const std::string& address) {
  std::lock_guard lock{mutex_};
  if (s.address_ == address)
    return verdict::admitted;
  if (!address.empty()) {
    auto& n = per_address_[address];
    if (n >= max_per_address_) {
      if (n == 0)
        per_address_.erase(address);
      return verdict::address_full;
    }
    ++n;
  }
  if (!s.address_.empty()) {
    auto it = per_address_.find(s.address_);
    if (it != per_address_.end() && --it->second == 0)
      per_address_.erase(it);
  }
  s.address_ = address;
  return verdict::admitted;
}

void connection_admission::release(const std::string& address) {
  std::lock_guard lock{mutex_};
  --open_;
  if (address.empty())
    return;
  auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0)
    per_address_.erase(it);
}

std::size_t connection_admission::open() const {
  std::lock_guard lock{mutex_};
  return open_;
}

std::size_t connection_admission::open_from(const std::string& address) const {
  std::lock_guard lock{mutex_};
  auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

std::size_t default_connection_cap(std::uint64_t descriptor_limit,
                                   int db_threads, int ai_connections) {
  // stdio, the listener, the epoll and eventfd descriptors, Redis's
  // clients (health probe, node stats, leases, notices), the log, and
  // media files being served or uploaded at once.
  constexpr std::uint64_t margin = 128;
  std::uint64_t reserve = margin + static_cast<std::uint64_t>(db_threads) +
                          static_cast<std::uint64_t>(ai_connections);
  if (descriptor_limit <= reserve)
    return 1;
  return static_cast<std::size_t>(descriptor_limit - reserve);
}

std::uint64_t raise_descriptor_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
    return 1024;
  if (lim.rlim_cur < lim.rlim_max) {
    rlimit raised = lim;
    raised.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
      lim = raised;
  }
  return lim.rlim_cur == RLIM_INFINITY ? 1u << 20 : lim.rlim_cur;
}

std::optional<std::uint64_t> event_tally::note(clock::time_point now) {
  ++pending_;
  if (last_report_ && now - *last_report_ < interval_)
    return std::nullopt;
  last_report_ = now;
  return std::exchange(pending_, 0);
}

bool body_rate_ok(std::uint64_t bytes, std::chrono::milliseconds elapsed,
                  std::uint64_t min_rate, std::chrono::milliseconds grace) {
  if (elapsed <= grace)
    return true;
  auto counted_ms = static_cast<std::uint64_t>((elapsed - grace).count());
  return bytes * 1000 >= min_rate * counted_ms;
}

bool is_trusted(const std::string& address,
                const std::vector<config::address_range>& trusted) {
  if (trusted.empty())
    return false;
  auto bytes = config::parse_address(address);
  if (!bytes)
    return false;
  return std::any_of(trusted.begin(), trusted.end(), [&](const auto& r) {
    return config::in_range(r, *bytes);
  });
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

} // namespace

std::string client_address(const std::string& peer,
                           std::string_view forwarded_for,
                           const std::vector<config::address_range>& trusted) {
  if (!is_trusted(peer, trusted))
    return peer;
  std::string client = peer;
  // Right to left: each hop appended the address it saw.
  while (!forwarded_for.empty()) {
    auto comma = forwarded_for.rfind(',');
    auto entry =
        trim(comma == std::string_view::npos ? forwarded_for
                                             : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos
                        ? std::string_view{}
                        : forwarded_for.substr(0, comma);
    if (entry.empty())
      continue;
    std::string address{entry};
    if (!config::parse_address(address))
      break;
    client = address;
    if (!is_trusted(client, trusted))
      break;
  }
  return client;
}

bool is_probe_path(std::string_view path) {
  return path == "/healthz" || path == "/readyz" || path == "/metrics";
}

} // namespace tryon::net
