// tryon-relay-floor: what the kernel alone charges a relay on this machine.
//
// It plays the server's data path with nothing but sockets and epoll: N
// "phones" send 60 KB frames at F fps to a relay process, the relay forwards
// each to an "AI" process that echoes it, and forwards the echo back. That is
// the same four 60 KB socket transfers per frame as tryon-server with
// `tryon-ai --passthrough`, with no WebSocket, no JSON, no actors, no copies.
// The relay's CPU per frame is the floor under the server's figure 1
// (docs/PERFORMANCE.md, "The floor on this machine"); --metadata and --copy
// add the two costs of the contract that any server pays on top.
//
// Three processes on 127.0.0.1 only, bounded by --duration; the relay and the
// echo die with this process.
#include "bench/harness/proc_sampler.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct options {
  int streams = 50;
  int fps = 25;
  double duration_s = 20;
  double warmup_s = 2;
  std::size_t frame_bytes = 61440;
  bool metadata = false; ///< a small message before each returned frame
  bool copy = false;     ///< copy each frame once per hop in the relay
  std::string json_path;
};

/// Messages on the wire: a 4-byte length, then the payload; the payload's
/// first 4 bytes name the stream.
constexpr std::size_t length_bytes = 4;
constexpr std::size_t metadata_bytes = 150;
/// epoll tags beyond any stream index (streams are at most 4096).
constexpr std::uint32_t ai_tag = 0xffffffffu;
constexpr std::uint32_t timer_tag = 0xfffffffeu;

[[noreturn]] void fail(const std::string& what) {
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

void set_nodelay_nonblocking(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int listen_loopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0 ||
      ::listen(fd, 1024) != 0)
    fail("listen on 127.0.0.1");
  port = ntohs(a.sin_port);
  return fd;
}

int connect_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    fail("connect to 127.0.0.1");
  set_nodelay_nonblocking(fd);
  return fd;
}

int accept_one(int listener) {
  int fd = ::accept(listener, nullptr, nullptr);
  if (fd < 0)
    fail("accept");
  set_nodelay_nonblocking(fd);
  return fd;
}

using steady = std::chrono::steady_clock;

/// Writes all of it; waits for room when the socket buffer is full, but not
/// past `deadline`: relay and echo block on each other when both of their
/// buffers fill up, and the phones must still stop on time.
void write_all(int fd, const char* p, std::size_t n,
               steady::time_point deadline = steady::time_point::max()) {
  while (n > 0) {
    auto r = ::send(fd, p, n, MSG_NOSIGNAL);
    if (r > 0) {
      p += r;
      n -= static_cast<std::size_t>(r);
    } else if (r < 0 && errno == EAGAIN) {
      if (steady::now() >= deadline)
        throw std::runtime_error("the relay stopped reading");
      pollfd w{fd, POLLOUT, 0};
      ::poll(&w, 1, 100);
    } else {
      fail("send");
    }
  }
}

/// One connection's reading side: reads whole messages from a non-blocking
/// socket as they complete.
struct reader {
  int fd = -1;
  std::vector<char> buf;
  std::size_t have = 0;
  std::size_t need = 0; ///< payload length, once its 4 bytes arrived

  explicit reader(int f, std::size_t frame_bytes)
    : fd(f), buf(frame_bytes + 2 * length_bytes) {}

  /// True when buf holds one whole message (length + payload); call again
  /// until false, which means the socket has nothing more for now.
  bool next() {
    if (need > 0 && have == need + length_bytes)
      have = need = 0; // the caller is done with the previous message
    for (;;) {
      std::size_t want =
          need > 0 ? need + length_bytes - have : length_bytes - have;
      auto r = ::recv(fd, buf.data() + have, want, 0);
      if (r == 0)
        throw std::runtime_error("a peer closed its connection");
      if (r < 0 && errno == EAGAIN)
        return false;
      if (r < 0)
        fail("recv");
      have += static_cast<std::size_t>(r);
      if (need == 0 && have == length_bytes) {
        std::uint32_t n;
        std::memcpy(&n, buf.data(), sizeof n);
        need = n;
        if (need < sizeof n || need + length_bytes > buf.size())
          throw std::runtime_error("a message of a wrong length");
      }
      if (need > 0 && have == need + length_bytes)
        return true;
    }
  }
  std::uint32_t stream() const {
    std::uint32_t s;
    std::memcpy(&s, buf.data() + length_bytes, sizeof s);
    return s;
  }
  std::size_t size() const { return need + length_bytes; }
};

int make_epoll() {
  int ep = ::epoll_create1(0);
  if (ep < 0)
    fail("epoll_create1");
  return ep;
}

void watch(int ep, int fd, std::uint32_t tag) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  ev.data.u32 = tag;
  if (::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) != 0)
    fail("epoll_ctl");
}

void die_with_parent() {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
}

[[noreturn]] void run_echo(int listener, const options& o) {
  die_with_parent();
  int fd = accept_one(listener);
  int ep = make_epoll();
  watch(ep, fd, 0);
  reader in(fd, o.frame_bytes);
  epoll_event events[8];
  for (;;) {
    ::epoll_wait(ep, events, 8, -1);
    while (in.next())
      write_all(fd, in.buf.data(), in.size());
  }
}

[[noreturn]] void run_relay(int listener, int ai_port, const options& o) {
  die_with_parent();
  int ai_fd = connect_loopback(ai_port);
  int ep = make_epoll();
  std::vector<reader> phones;
  phones.reserve(static_cast<std::size_t>(o.streams));
  for (int i = 0; i < o.streams; ++i) {
    phones.emplace_back(accept_one(listener), o.frame_bytes);
    watch(ep, phones.back().fd, static_cast<std::uint32_t>(i));
  }
  reader ai(ai_fd, o.frame_bytes);
  watch(ep, ai_fd, ai_tag);
  std::vector<char> copy(o.copy ? o.frame_bytes + 2 * length_bytes : 0);
  std::vector<char> metadata(length_bytes + metadata_bytes, '{');
  std::uint32_t metadata_len = metadata_bytes;
  std::memcpy(metadata.data(), &metadata_len, sizeof metadata_len);
  // Forwards one whole message, through a copy if asked (the server hands
  // each frame from its socket buffer to its owner).
  auto forward = [&](int to, const reader& from) {
    const char* p = from.buf.data();
    if (o.copy) {
      std::memcpy(copy.data(), p, from.size());
      p = copy.data();
    }
    write_all(to, p, from.size());
  };
  epoll_event events[64];
  for (;;) {
    int n = ::epoll_wait(ep, events, 64, -1);
    for (int k = 0; k < n; ++k) {
      auto tag = events[k].data.u32;
      if (tag == ai_tag) {
        while (ai.next()) {
          auto s = ai.stream();
          if (s >= phones.size())
            throw std::runtime_error("an echo for no stream");
          if (o.metadata)
            write_all(phones[s].fd, metadata.data(), metadata.size());
          forward(phones[s].fd, ai);
        }
      } else {
        while (phones[tag].next())
          forward(ai_fd, phones[tag]);
      }
    }
  }
}

std::uint64_t context_switches(int pid) {
  auto status =
      tryon::bench::read_small_file("/proc/" + std::to_string(pid) + "/status");
  using tryon::bench::parse_status_kb; // parses any "Name: <number>" line
  return parse_status_kb(status, "voluntary_ctxt_switches").value_or(0) +
         parse_status_kb(status, "nonvoluntary_ctxt_switches").value_or(0);
}

/// CPU seconds and context switches of one process over the window.
struct process_use {
  int pid = 0; ///< 0: this process
  double cpu_s = 0;
  std::uint64_t switches = 0;

  void start() {
    cpu_at_start_ = cpu_now();
    switches_at_start_ = switches_now();
  }
  void stop() {
    cpu_s = cpu_now() - cpu_at_start_;
    switches = switches_now() - switches_at_start_;
  }

private:
  double cpu_now() const {
    auto s = tryon::bench::sample_proc(pid);
    if (!s)
      throw std::runtime_error("a relay-floor process ended early");
    return s->cpu_s;
  }
  std::uint64_t switches_now() const {
    return context_switches(pid == 0 ? ::getpid() : pid);
  }

  double cpu_at_start_ = 0;
  std::uint64_t switches_at_start_ = 0;
};

struct result {
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::uint64_t window_frames = 0;
  double window_s = 0;
  process_use phones, relay, echo;
};

/// The phones: paces frames evenly over all streams, counts the frames that
/// come back, and samples all three processes over the window between the
/// warm-up and the end.
result run_phones(int relay_port, int relay_pid, int echo_pid,
                  const options& o) {
  using clock = steady;
  std::vector<reader> phones;
  int ep = make_epoll();
  for (int i = 0; i < o.streams; ++i) {
    phones.emplace_back(connect_loopback(relay_port), o.frame_bytes);
    watch(ep, phones.back().fd, static_cast<std::uint32_t>(i));
  }
  std::vector<char> frame(o.frame_bytes + length_bytes, 'j');
  auto payload = static_cast<std::uint32_t>(o.frame_bytes);
  std::memcpy(frame.data(), &payload, sizeof payload);

  // A periodic timer paces the frames (the gap, 0.8 ms at 50 x 25, is
  // below epoll_wait's millisecond timeout).
  const auto gap_ns =
      static_cast<long>(1e9 / (static_cast<double>(o.streams) * o.fps));
  int timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  itimerspec period{};
  period.it_interval.tv_sec = gap_ns / 1000000000;
  period.it_interval.tv_nsec = gap_ns % 1000000000;
  period.it_value = period.it_interval;
  if (timer < 0 || ::timerfd_settime(timer, 0, &period, nullptr) != 0)
    fail("timerfd");
  watch(ep, timer, timer_tag);

  const auto start = clock::now();
  auto seconds = [](double s) {
    return std::chrono::duration_cast<clock::duration>(
        std::chrono::duration<double>(s));
  };
  const clock::time_point warm = start + seconds(o.warmup_s);
  const clock::time_point end = start + seconds(o.duration_s);
  const auto drain = std::chrono::seconds(5);
  enum class window { not_yet, open, closed } state = window::not_yet;
  std::uint64_t received0 = 0;
  clock::time_point window_start;
  result r;
  r.relay.pid = relay_pid;
  r.echo.pid = echo_pid;
  epoll_event events[64];
  for (;;) {
    auto now = clock::now();
    if (state == window::not_yet && now >= warm) {
      for (auto* p : {&r.phones, &r.relay, &r.echo})
        p->start();
      received0 = r.received;
      window_start = now;
      state = window::open;
    }
    // At the end the window closes and no more frames go out: the ones on
    // their way have up to `drain` to come back, or count as lost.
    const bool ending = now >= end;
    if (ending && state == window::open) {
      for (auto* p : {&r.phones, &r.relay, &r.echo})
        p->stop();
      r.window_s = std::chrono::duration<double>(now - window_start).count();
      r.window_frames = r.received - received0;
      state = window::closed;
    }
    if (ending && (r.received == r.sent || now >= end + drain))
      break;
    int n = ::epoll_wait(ep, events, 64, 100);
    for (int k = 0; k < n; ++k) {
      if (events[k].data.u32 == timer_tag) {
        if (ending)
          continue;
        std::uint64_t due = 0;
        while (::read(timer, &due, sizeof due) == sizeof due)
          for (; due > 0; --due) {
            auto s = static_cast<std::uint32_t>(r.sent % o.streams);
            std::memcpy(frame.data() + length_bytes, &s, sizeof s);
            write_all(phones[s].fd, frame.data(), frame.size(), end + drain);
            ++r.sent;
          }
        continue;
      }
      auto& in = phones[events[k].data.u32];
      while (in.next())
        if (in.need > metadata_bytes)
          ++r.received;
    }
  }
  return r;
}

} // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App app{"tryon-relay-floor: the kernel's cost of relaying 60 KB frames "
               "on this machine (127.0.0.1 only; see docs/PERFORMANCE.md)"};
  app.add_option("--streams", o.streams, "concurrent streams")
      ->check(CLI::Range(1, 4096));
  app.add_option("--fps", o.fps, "frames per second per stream")
      ->check(CLI::Range(1, 1000));
  app.add_option("--duration", o.duration_s, "seconds in all")
      ->check(CLI::Range(0.5, 600.0));
  app.add_option("--warmup", o.warmup_s, "seconds before measuring")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--frame-bytes", o.frame_bytes, "bytes per frame")
      ->check(CLI::Range(std::size_t{256}, std::size_t{16} << 20));
  app.add_flag("--metadata", o.metadata,
               "send a 150-byte message before each returned frame, as the "
               "contract's processed_frame text does");
  app.add_flag("--copy", o.copy, "copy each frame once per hop in the relay");
  app.add_option("--json", o.json_path, "also write the figures as JSON here");
  // As tryon-bench: help on stdout with 0, a bad flag in one line with 2.
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "tryon-relay-floor: " << e.what() << '\n';
    return 2;
  }
  if (o.warmup_s >= o.duration_s) {
    std::cerr
        << "tryon-relay-floor: --warmup must be shorter than --duration\n";
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  try {
    int relay_port = 0, echo_port = 0;
    int relay_listener = listen_loopback(relay_port);
    int echo_listener = listen_loopback(echo_port);
    // The children end when their peers do (or are killed below): quietly,
    // without returning into main.
    auto child = [](auto body) {
      try {
        body();
      } catch (...) {
      }
      std::_Exit(0);
    };
    pid_t echo = ::fork();
    if (echo == 0)
      child([&] { run_echo(echo_listener, o); });
    pid_t relay = ::fork();
    if (relay == 0)
      child([&] { run_relay(relay_listener, echo_port, o); });
    if (echo < 0 || relay < 0)
      fail("fork");
    auto r = run_phones(relay_port, relay, echo, o);
    ::kill(relay, SIGKILL);
    ::kill(echo, SIGKILL);
    ::waitpid(relay, nullptr, 0);
    ::waitpid(echo, nullptr, 0);

    const double frames = static_cast<double>(r.window_frames);
    auto us_per_frame = [&](const process_use& p) {
      return frames > 0 ? p.cpu_s / frames * 1e6 : 0;
    };
    auto switches_per_frame = [&](const process_use& p) {
      return frames > 0 ? static_cast<double>(p.switches) / frames : 0;
    };
    const std::uint64_t lost = r.sent - r.received;
    std::printf("relay floor: %d streams x %d fps, %zu-byte frames%s%s\n",
                o.streams, o.fps, o.frame_bytes,
                o.metadata ? ", metadata message" : "",
                o.copy ? ", one copy per hop" : "");
    std::printf("  frames     sent %llu  returned %llu  lost %llu\n",
                static_cast<unsigned long long>(r.sent),
                static_cast<unsigned long long>(r.received),
                static_cast<unsigned long long>(lost));
    std::printf("  measured   %llu frames in %.1f s\n",
                static_cast<unsigned long long>(r.window_frames), r.window_s);
    std::printf("  process    cpu us/frame  context switches/frame\n");
    for (auto [name, p] :
         {std::pair{"relay", &r.relay}, std::pair{"echo", &r.echo},
          std::pair{"phones", &r.phones}})
      std::printf("  %-8s %12.1f %23.2f\n", name, us_per_frame(*p),
                  switches_per_frame(*p));
    if (!o.json_path.empty()) {
      nlohmann::json j{
          {"streams", o.streams},
          {"fps", o.fps},
          {"frame_bytes", o.frame_bytes},
          {"metadata", o.metadata},
          {"copy", o.copy},
          {"sent", r.sent},
          {"returned", r.received},
          {"lost", lost},
          {"window_s", r.window_s},
          {"window_frames", r.window_frames},
          {"relay_cpu_us_per_frame", us_per_frame(r.relay)},
          {"echo_cpu_us_per_frame", us_per_frame(r.echo)},
          {"phones_cpu_us_per_frame", us_per_frame(r.phones)},
          {"relay_context_switches_per_frame", switches_per_frame(r.relay)},
          {"echo_context_switches_per_frame", switches_per_frame(r.echo)},
          {"phones_context_switches_per_frame", switches_per_frame(r.phones)}};
      std::FILE* f = std::fopen(o.json_path.c_str(), "w");
      if (!f) {
        std::cerr << "tryon-relay-floor: cannot write " << o.json_path << '\n';
        return 1;
      }
      std::fputs((j.dump(2) + "\n").c_str(), f);
      std::fclose(f);
    }
    return r.window_frames > 0 && lost == 0 ? 0 : 3;
  } catch (const std::exception& e) {
    std::cerr << "tryon-relay-floor: " << e.what() << '\n';
    return 1;
  }
}
