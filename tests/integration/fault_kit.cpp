#include "fault_kit.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <thread>

#include "wire_client.hpp"

namespace tryon::testing {

namespace fs = std::filesystem;

namespace {

constexpr const char* pg_bin = "/usr/lib/postgresql/15/bin";

std::string temp_dir(const std::string& prefix) {
  std::random_device rd;
  auto dir = fs::temp_directory_path() /
             (prefix + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(dir);
  return dir.string();
}

/// Single-quoted for /bin/sh.
std::string sh_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

/// `name` found on PATH (child_process spawns by path); `name` if not.
std::string on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    auto end = dirs.find(':', start);
    if (end == std::string::npos)
      end = dirs.size();
    auto candidate = fs::path{dirs.substr(start, end - start)} / name;
    if (::access(candidate.c_str(), X_OK) == 0)
      return candidate.string();
    start = end + 1;
  }
  return name;
}

} // namespace

int run_command(const std::string& command, const std::string& log) {
  auto line = log.empty() ? command + " >/dev/null 2>&1"
                          : "(" + command + ") >>" + sh_quoted(log) + " 2>&1";
  int rc = std::system(line.c_str());
  if (rc == -1 || !WIFEXITED(rc))
    return -1;
  return WEXITSTATUS(rc);
}

bool running_as_root() {
  return ::geteuid() == 0;
}

// -- PostgreSQL ---------------------------------------------------------------

throwaway_pg::throwaway_pg()
  : dir_(temp_dir("tryon-fpg-")), port_(free_port()) {
  if (running_as_root()) {
    // PostgreSQL refuses to run as root (docs: STACK_NOTES).
    if (run_command("chown postgres " + sh_quoted(dir_)) != 0) {
      why_ = "cannot hand " + dir_ + " to the postgres user";
      return;
    }
  }
  if (!fs::exists(std::string{pg_bin} + "/initdb")) {
    why_ = std::string{"PostgreSQL 15 server binaries missing in "} + pg_bin;
    return;
  }
  auto log = dir_ + "/setup.log";
  if (run_command((running_as_root() ? "runuser -u postgres -- " : "") +
                      std::string{pg_bin} + "/initdb -D " +
                      sh_quoted(dir_ + "/data") +
                      " -U tryon --auth=trust -E UTF8 --no-sync",
                  running_as_root() ? "" : log) != 0) {
    why_ = "initdb failed in " + dir_;
    return;
  }
  ok_ = start();
  if (!ok_)
    why_ = "pg_ctl start failed (see " + dir_ + "/pg.log)";
}

throwaway_pg::~throwaway_pg() {
  pg_ctl("stop -m immediate");
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string throwaway_pg::admin_url() const {
  return "postgresql://tryon@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

bool throwaway_pg::pg_ctl(const std::string& args) {
  auto opts = "-p " + std::to_string(port_) +
              " -c listen_addresses=127.0.0.1 -c fsync=off"
              " -c unix_socket_directories=" +
              dir_;
  return run_command((running_as_root() ? "runuser -u postgres -- " : "") +
                     std::string{pg_bin} + "/pg_ctl -D " +
                     sh_quoted(dir_ + "/data") + " -l " +
                     sh_quoted(dir_ + "/pg.log") + " -w -t 30 -o " +
                     sh_quoted(opts) + " " + args) == 0;
}

bool throwaway_pg::restart() {
  return pg_ctl("restart -m fast");
}

bool throwaway_pg::stop() {
  return pg_ctl("stop -m fast");
}

bool throwaway_pg::start() {
  return pg_ctl("start");
}

// -- Redis --------------------------------------------------------------------

throwaway_redis::throwaway_redis()
  : dir_(temp_dir("tryon-frd-")), port_(free_port()) {
  start();
}

throwaway_redis::~throwaway_redis() {
  proc_.reset();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string throwaway_redis::url() const {
  return "redis://127.0.0.1:" + std::to_string(port_);
}

void throwaway_redis::kill() {
  if (proc_) {
    proc_->signal(SIGKILL);
    proc_->wait(std::chrono::seconds(5));
    proc_.reset();
  }
}

bool throwaway_redis::start() {
  proc_ = std::make_unique<child_process>(
      std::vector<std::string>{on_path("redis-server"), "--bind", "127.0.0.1",
                               "--port", std::to_string(port_), "--save", "",
                               "--appendonly", "no", "--dir", dir_},
      std::map<std::string, std::string>{}, dir_ + "/redis.log");
  for (int i = 0; i < 100; ++i) {
    if (run_command("redis-cli -p " + std::to_string(port_) + " ping") == 0)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  proc_.reset();
  return false;
}

// -- tmpfs --------------------------------------------------------------------

tmpfs_mount::tmpfs_mount(std::string dir, std::size_t bytes)
  : dir_(std::move(dir)) {
  if (!running_as_root()) {
    why_ = "mounting a tmpfs needs root";
    return;
  }
  fs::create_directories(dir_);
  ok_ = run_command("mount -t tmpfs -o size=" + std::to_string(bytes) +
                    ",mode=0755 tmpfs " + sh_quoted(dir_)) == 0;
  if (!ok_)
    why_ = "mount -t tmpfs failed on " + dir_;
}

tmpfs_mount::~tmpfs_mount() {
  if (!ok_)
    return;
  run_command("umount -l " + sh_quoted(dir_));
  // The mount point, and its parent when that is left empty (a test
  // stack's work dir, which could not remove a mounted directory).
  std::error_code ec;
  fs::remove(dir_, ec);
  fs::remove(fs::path{dir_}.parent_path(), ec);
}

// -- network namespace --------------------------------------------------------

phone_netns::phone_netns() {
  auto pid = static_cast<unsigned>(::getpid());
  auto tag = std::to_string(pid % 100000);
  ns_ = "tryon-ph-" + tag;
  host_if_ = "tfh" + tag;
  phone_if_ = "tfp" + tag;
  // 10.<200..249>.<0..249>.<4k+1, 4k+2>: one /30 per pid.
  auto b = 200 + (pid / 16000) % 50, c = (pid / 64) % 250, d = (pid % 64) * 4;
  auto net = "10." + std::to_string(b) + "." + std::to_string(c) + ".";
  host_ip_ = net + std::to_string(d + 1);
  phone_ip_ = net + std::to_string(d + 2);
  if (!running_as_root()) {
    why_ = "network namespaces need root";
    return;
  }
  run_command("ip netns del " + ns_); // a leftover of a killed run
  const std::string steps[] = {
      "ip netns add " + ns_,
      "ip link add " + host_if_ + " type veth peer name " + phone_if_ +
          " netns " + ns_,
      "ip addr add " + host_ip_ + "/30 dev " + host_if_,
      "ip link set " + host_if_ + " up",
      "ip -n " + ns_ + " addr add " + phone_ip_ + "/30 dev " + phone_if_,
      "ip -n " + ns_ + " link set " + phone_if_ + " up",
      "ip -n " + ns_ + " link set lo up",
  };
  for (const auto& s : steps)
    if (run_command(s) != 0) {
      why_ = "failed: " + s;
      return;
    }
  ok_ = true;
}

phone_netns::~phone_netns() {
  // Deleting the namespace deletes its veth end, and with it ours.
  run_command("ip netns del " + ns_);
  run_command("ip link del " + host_if_);
}

void phone_netns::inside(const std::function<void()>& fn) {
  int here = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  int there = ::open(("/run/netns/" + ns_).c_str(), O_RDONLY | O_CLOEXEC);
  if (here < 0 || there < 0 || ::setns(there, CLONE_NEWNET) != 0) {
    if (here >= 0)
      ::close(here);
    if (there >= 0)
      ::close(there);
    throw std::runtime_error("cannot enter network namespace " + ns_);
  }
  struct back {
    int fd;
    ~back() {
      ::setns(fd, CLONE_NEWNET);
      ::close(fd);
    }
  } restore{here};
  ::close(there);
  fn();
}

bool phone_netns::shape(const std::string& qdisc) {
  return run_command("tc qdisc replace dev " + host_if_ + " root " + qdisc) ==
             0 &&
         run_command("ip netns exec " + ns_ + " tc qdisc replace dev " +
                     phone_if_ + " root " + qdisc) == 0;
}

std::string phone_netns::qdisc_stats() {
  auto out = fs::temp_directory_path() /
             ("tryon-qdisc-" + std::to_string(::getpid()) + ".txt");
  std::error_code ec;
  fs::remove(out, ec);
  run_command("tc -s qdisc show dev " + host_if_ + "; ip netns exec " + ns_ +
                  " tc -s qdisc show dev " + phone_if_,
              out.string());
  std::ifstream in{out};
  std::string text{std::istreambuf_iterator<char>{in}, {}};
  fs::remove(out, ec);
  return text;
}

bool phone_netns::restore() {
  return run_command("ip -n " + ns_ + " link set " + phone_if_ + " up") == 0;
}

bool phone_netns::cut() {
  // The phone's end goes down: our veth drops what we send (no carrier),
  // silently; nothing comes back.
  return run_command("ip -n " + ns_ + " link set " + phone_if_ + " down") == 0;
}

} // namespace tryon::testing
