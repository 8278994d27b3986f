#include "tests/net/ai_process.hpp"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <turbojpeg.h>
#include <unistd.h>

extern char** environ;

namespace tryon::testing {

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

bool accepts(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto addr = loopback(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

} // namespace

std::string ai_process::binary() {
  return std::string{TRYON_BINARY_DIR} + "/ai_service/tryon-ai";
}

bool ai_process::available() {
  return ::access(binary().c_str(), X_OK) == 0;
}

ai_process::ai_process(std::uint16_t port, std::vector<std::string> extra_args)
  : port_(port), extra_(std::move(extra_args)) {}

ai_process::~ai_process() {
  kill();
}

bool ai_process::start(std::chrono::milliseconds timeout) {
  std::vector<std::string> args{
      binary(),      "--listen", "127.0.0.1", "--port", std::to_string(port_),
      "--log-level", "warn"};
  args.insert(args.end(), extra_.begin(), extra_.end());
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  if (::posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) !=
      0) {
    pid_ = -1;
    return false;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (accepts(port_))
      return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1; // exited (e.g. the port is still taken)
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void ai_process::kill() {
  if (pid_ <= 0)
    return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void ai_process::pause() {
  if (pid_ > 0)
    ::kill(pid_, SIGSTOP);
}

void ai_process::resume() {
  if (pid_ > 0)
    ::kill(pid_, SIGCONT);
}

std::string ai_process::url() const {
  return "ws://127.0.0.1:" + std::to_string(port_) + "/ws/tryon";
}

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto addr = loopback(0);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string make_jpeg(int width, int height) {
  std::vector<unsigned char> pixels(
      static_cast<std::size_t>(width * height * 3));
  for (std::size_t i = 0; i < pixels.size(); ++i)
    pixels[i] = static_cast<unsigned char>(i * 7);
  tjhandle tj = tjInitCompress();
  unsigned char* out = nullptr;
  unsigned long size = 0;
  tjCompress2(tj, pixels.data(), width, 0, height, TJPF_RGB, &out, &size,
              TJSAMP_420, 80, 0);
  std::string jpeg(reinterpret_cast<char*>(out), size);
  tjFree(out);
  tjDestroy(tj);
  return jpeg;
}

std::string write_temp_file(const std::string& name, const std::string& bytes) {
  auto path =
      std::string{"/tmp/tryon-test-"} + std::to_string(::getpid()) + "-" + name;
  std::ofstream{path, std::ios::binary} << bytes;
  return path;
}

} // namespace tryon::testing
