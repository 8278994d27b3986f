#include "apps/actor_probes.hpp"

#include <caf/scoped_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/session_atoms.hpp"

namespace tryon::apps {

namespace {

constexpr auto probe_timeout = std::chrono::seconds(1);

} // namespace

bool ai_link_probe::ping(std::string& detail) noexcept {
  bool up = false;
  try {
    caf::scoped_actor self{sys_};
    self->request(link_, probe_timeout, actors::ai_ready_q_atom::value)
        .receive([&](bool ok) { up = ok; },
                 [&](caf::error& err) { detail = sys_.render(err); });
  } catch (const std::exception& e) {
    detail = e.what();
  }
  if (!up && detail.empty())
    detail = "no connection to the AI service";
  return up;
}

nlohmann::json live_stats(caf::actor_system& sys, const caf::actor& registry,
                          const caf::actor& ai_link) {
  nlohmann::json out = nlohmann::json::object();
  caf::scoped_actor self{sys};
  self->request(registry, probe_timeout, actors::count_atom::value)
      .receive([&](std::uint64_t n) { out["live_sessions"] = n; },
               [&](caf::error&) { out["live_sessions"] = nullptr; });
  self->request(ai_link, probe_timeout, actors::get_stats_atom::value)
      .receive(
          [&](const std::string& text) {
            out["ai_link"] = nlohmann::json::parse(text, nullptr, false);
          },
          [&](caf::error&) { out["ai_link"] = nullptr; });
  return out;
}

} // namespace tryon::apps
