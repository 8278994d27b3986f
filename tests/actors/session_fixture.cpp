#include "tests/actors/session_fixture.hpp"

#include <caf/actor_cast.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "protocol/client_frame.hpp"

namespace tryon::testing {

using namespace tryon::actors;

session_fixture::session_fixture() {
  // Under ThreadSanitizer one worker: Debian's libcaf_core is not
  // instrumented, so an actor resumed by another worker thread (work
  // stealing) would look like a race on its own state (tests/tsan.supp).
#if defined(__SANITIZE_THREAD__)
  cfg.set("scheduler.max-threads", 1);
#else
  cfg.set("scheduler.max-threads", 2);
#endif
  cfg.set("logger.console", caf::atom("none"));
  sys = std::make_unique<caf::actor_system>(cfg);
  env.ai_link = sys->spawn(fake_ai_link, link_script);
  env.persister = sys->spawn(fake_persister, persisted_log);
  env.capture = sys->spawn(fake_capture, capture_script);
  // Long enough never to fire unless a test shortens them.
  env.frame_timeout = std::chrono::seconds{30};
  env.stats_interval = std::chrono::seconds{30};
  owned = {env.ai_link, env.persister, env.capture};
}

session_fixture::~session_fixture() {
  for (auto& a : owned)
    caf::anon_send_exit(a, caf::exit_reason::kill);
  for (auto& a : owned)
    EXPECT_TRUE(wait_down(a)) << "an actor outlived its test";
  owned.clear();
  env = {};
  // The routes hold session handles: the channel -> routes -> session ->
  // binding cycle the real link breaks at shutdown.
  link_script->routes->clear();
  sys.reset();
}

session_info session_fixture::info(const std::string& id) const {
  session_info i;
  i.id = id;
  i.user_id = 7;
  i.mode = "explore";
  i.nail_reference_url = "/media/designs/42.jpg";
  i.post_id = 42;
  i.status = "pending";
  i.expires_at_us = epoch_us_in(std::chrono::hours{1});
  return i;
}

caf::actor session_fixture::start(const std::shared_ptr<fake_client_peer>& peer,
                                  const session_info& i) {
  auto s = sys->spawn(make_session, i, env);
  owned.push_back(s);
  auto counters = std::make_shared<inbound_counters>();
  // Weak: the peer lives as long as the test, the session not.
  auto addr = s.address();
  peer->set_writer(counters, [addr] {
    if (auto a = caf::actor_cast<caf::actor>(addr))
      caf::anon_send(a, cl_wrote_atom::value, std::uint64_t{1});
  });
  caf::anon_send(s, attach_atom::value, peer_ptr{peer}, counters_ptr{counters},
                 std::uint64_t{1});
  return s;
}

void session_fixture::text(const caf::actor& s, const std::string& t,
                           std::uint64_t gen) {
  caf::anon_send(s, cl_text_atom::value, gen, t);
}

void session_fixture::frame(const caf::actor& s, std::int64_t seq,
                            std::uint64_t gen) {
  protocol::client_frame_header h;
  h.sequence = seq;
  h.timestamp = 1700000000000 + seq;
  h.format = "jpeg";
  caf::anon_send(s, cl_bin_atom::value, gen,
                 protocol::encode_client_frame(h, camera_image(seq)));
}

bool session_fixture::init(const caf::actor& s, fake_client_peer& peer,
                           std::size_t n) {
  text(s, client_text("init_session"));
  return peer.wait_texts("session_ready", n);
}

bool session_fixture::answer(std::size_t n) {
  if (!channel.wait_frames(n + 1))
    return false;
  auto frame = channel.frames.snapshot().at(n);
  route_ai_reply(*link_script->routes,
                 std::make_shared<const std::string>(processed_reply(*frame)));
  return true;
}

nlohmann::json session_fixture::stats(const caf::actor& s) {
  caf::scoped_actor self{*sys};
  nlohmann::json out;
  self->request(s, default_wait, get_stats_atom::value)
      .receive([&](std::string& text) { out = nlohmann::json::parse(text); },
               [&](caf::error& err) {
                 ADD_FAILURE() << "get_stats: " << sys->render(err);
               });
  return out;
}

std::vector<std::string>
session_fixture::statuses_after(std::size_t n, const std::string& id) {
  persisted_log->wait_for([&](const std::vector<persisted>& v) {
    std::size_t k = 0;
    for (const auto& p : v)
      k += p.kind == "status" && p.session_id == id;
    return k >= n;
  });
  return statuses(*persisted_log, id);
}

nlohmann::json session_fixture::final_stats(const std::string& id) {
  persisted_log->wait_for([&](const std::vector<persisted>& v) {
    for (const auto& p : v)
      if (p.kind == "stats" && p.session_id == id)
        return true;
    return false;
  });
  nlohmann::json out;
  for (const auto& p : persisted_log->snapshot())
    if (p.kind == "stats" && p.session_id == id)
      out = nlohmann::json::parse(p.value);
  return out;
}

bool session_fixture::wait_down(const caf::actor& a,
                                std::chrono::milliseconds timeout) {
  caf::scoped_actor self{*sys};
  self->monitor(a);
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; },
                caf::after(timeout) >> [] {});
  return down;
}

std::string camera_image(std::int64_t seq) {
  return "\xFF\xD8\xFF\xE0" + std::string{"cam-"} + std::to_string(seq);
}

std::string client_text(const std::string& type, nlohmann::json extra) {
  extra["type"] = type;
  return extra.dump();
}

} // namespace tryon::testing
