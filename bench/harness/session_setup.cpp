#include "bench/harness/session_setup.hpp"

#include "bench/harness/frame_generator.hpp"
#include "bench/harness/rest_client.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

namespace tryon::bench {

namespace {

session_setup prepare_direct(const bench_options& opt) {
  session_setup out;
  std::mt19937_64 rng{opt.seed};
  for (int i = 0; i < opt.sessions; ++i)
    out.ids.push_back(random_uuid(rng));
  out.design_url = opt.design_url;
  if (out.design_url.empty()) {
    const std::string path =
        "/tmp/tryon-bench-design-" + std::to_string(getpid()) + ".jpg";
    std::ofstream f(path, std::ios::binary);
    f << make_design_jpeg();
    if (!f) {
      out.fatal = "cannot write " + path;
      return out;
    }
    out.design_url = "file://" + path;
  }
  out.notes.push_back("direct: one AI connection per session, design " +
                      out.design_url);
  return out;
}

} // namespace

std::string random_uuid(std::mt19937_64& rng) {
  std::uint64_t hi = rng();
  std::uint64_t lo = rng();
  hi = (hi & ~0xf000ULL) | 0x4000ULL;                 // version 4
  lo = (lo & ~(0xc000ULL << 48)) | (0x8000ULL << 48); // variant 10
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xffff),
                static_cast<unsigned long long>(hi & 0xffff),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

session_setup prepare_sessions(const bench_options& opt) {
  if (opt.mode == bench_mode::direct)
    return prepare_direct(opt);
  session_setup out;
  const auto base = *parse_bench_url(opt.url);
  const auto tls = tls_context_for(base, opt.ca_file);
  std::string nail_url;
  if (opt.post_id == 0) {
    rest_client rest{base, opt.token, tls};
    std::string err;
    auto url = rest.upload_design(make_design_jpeg(), err);
    if (!url) {
      out.fatal = "uploading the design failed: " + err;
      return out;
    }
    nail_url = *url;
    out.notes.push_back("design uploaded: " + nail_url);
  }
  std::vector<std::string> ids(static_cast<std::size_t>(opt.sessions));
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::mutex mu;
  std::string first_error;
  auto worker = [&] {
    rest_client rest{base, opt.token, tls};
    for (int i = next++; i < opt.sessions; i = next++) {
      std::string err;
      if (auto id = rest.create_session(opt.post_id, nail_url, err)) {
        ids[static_cast<std::size_t>(i)] = *id;
      } else {
        failures++;
        std::lock_guard<std::mutex> lock{mu};
        if (first_error.empty())
          first_error = err;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::min(opt.setup_concurrency, opt.sessions); ++t)
    pool.emplace_back(worker);
  for (auto& t : pool)
    t.join();
  for (auto& id : ids)
    if (!id.empty())
      out.ids.push_back(std::move(id));
  if (failures > 0)
    out.notes.push_back(std::to_string(failures.load()) +
                        " session creations failed, first: " + first_error);
  if (out.ids.empty())
    out.fatal = "no session could be created: " + first_error;
  return out;
}

} // namespace tryon::bench
