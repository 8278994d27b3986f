#include "stack_helpers.hpp"

#include <thread>

#include <turbojpeg.h>

namespace tryon::testing {

using nlohmann::json;

std::unique_ptr<ws_client> open_ready(test_stack& s, const test_user& u,
                                      const std::string& session,
                                      int receive_buffer) {
  auto c = std::make_unique<ws_client>(
      s.port(), "/ws/try-on/" + session + "/",
      std::vector<std::pair<std::string, std::string>>{u.auth()},
      receive_buffer);
  if (!c->open())
    return nullptr;
  c->send_text(R"({"type":"init_session"})");
  if (!c->read_type("session_ready", std::chrono::seconds(20)))
    return nullptr;
  return c;
}

bool eventually(const std::function<bool()>& done,
                std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (done())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

json get_json(test_stack& s, const std::string& target, const test_user* u,
              unsigned* status) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (u)
    headers.push_back(u->auth());
  auto r = http_call(s.port(), "GET", target, headers);
  if (status)
    *status = r.status;
  return json::parse(r.body, nullptr, false);
}

frame_run read_until(ws_client& c, std::int64_t last_sequence,
                     std::chrono::milliseconds timeout) {
  frame_run out;
  auto until = std::chrono::steady_clock::now() + timeout;
  std::int64_t pending = -1;
  while (std::chrono::steady_clock::now() < until) {
    auto m = c.read(std::chrono::milliseconds(2000));
    if (!m)
      break;
    if (m->binary) {
      out.last_image = m->data;
      out.last = pending;
      if (pending == last_sequence)
        break;
      continue;
    }
    auto j = json::parse(m->data, nullptr, false);
    if (j.is_object() && j.value("type", "") == "processed_frame") {
      out.processed++;
      out.dropped += j.value("dropped_frames", std::int64_t{0});
      pending = j.value("sequence", std::int64_t{-1});
    }
  }
  return out;
}

frame_run one_frame(ws_client& c, std::int64_t sequence, int w, int h) {
  c.send_binary(make_client_frame(sequence, make_test_jpeg(w, h)));
  return read_until(c, sequence, std::chrono::seconds(20));
}

std::pair<std::string, std::string> kind_of(const ws_message& m) {
  if (m.binary)
    return {};
  auto j = json::parse(m.data, nullptr, false);
  if (!j.is_object())
    return {};
  return {j.value("type", ""), j.value("code", "")};
}

std::pair<int, int> jpeg_dimensions(const std::string& jpeg) {
  tjhandle tj = tjInitDecompress();
  int w = 0, h = 0, subsamp = 0, cs = 0;
  if (tjDecompressHeader3(tj,
                          reinterpret_cast<const unsigned char*>(jpeg.data()),
                          jpeg.size(), &w, &h, &subsamp, &cs) != 0)
    w = h = 0;
  tjDestroy(tj);
  return {w, h};
}

} // namespace tryon::testing
