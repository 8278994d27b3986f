#include "apps/actor_probes.hpp"

#include <caf/scoped_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/stats_supervisor.hpp"

namespace tryon::apps {

namespace {

constexpr auto probe_timeout = std::chrono::seconds(1);
// Gathering asks the registry and the AI link (1 s each at worst), then the
// database and Redis.
constexpr auto stats_timeout = std::chrono::seconds(5);

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

nlohmann::json live_stats(caf::actor_system& sys, const caf::actor& stats) {
  nlohmann::json out;
  caf::scoped_actor self{sys};
  self->request(stats, stats_timeout, actors::get_stats_atom::value)
      .receive(
          [&](const std::string& text) {
            out = nlohmann::json::parse(text, nullptr, false);
          },
          [&](caf::error& err) {
            out = {{"error", "statistics unavailable: " + sys.render(err)}};
          });
  if (out.is_discarded() || !out.is_object())
    out = {{"error", "statistics unavailable"}};
  return out;
}

std::string metrics_text(caf::actor_system& sys, const caf::actor& stats,
                         metrics::node_metrics& metrics) {
  {
    caf::scoped_actor self{sys};
    // A stale gauge beats no scrape: carry on whatever the answer.
    self->request(stats, stats_timeout, actors::refresh_atom::value)
        .receive([](bool) {}, [](caf::error&) {});
  }
  return metrics.prometheus_text();
}

} // namespace tryon::apps
