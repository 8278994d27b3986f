#include "actors/stats_supervisor.hpp"

#include <functional>
#include <memory>

#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "persistence/types.hpp"

namespace tryon::actors {

namespace {

using json = nlohmann::json;
using stats_actor = caf::stateful_actor<stats_supervisor_state>;
using figures_ptr = std::shared_ptr<json>;

constexpr auto ask_timeout = std::chrono::seconds(1);

std::int64_t int_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

/// Adds what only this actor knows, updates gauges, calls `done`.
void complete(stats_actor* self, const figures_ptr& f,
              const std::function<void(json)>& done) {
  auto& cfg = self->state.cfg;
  auto running = static_cast<std::int64_t>(self->system().registry().running());
  cfg.metrics->set_actors_running(running);
  (*f)["actors_running"] = running;
  (*f)["node_id"] = cfg.node_id;
  (*f)["published_at"] = persistence::iso8601(persistence::now_us());
  const auto& link = (*f)["ai_link"];
  if (link.is_object())
    cfg.metrics->set_ai_link(
        {int_of(link, "connections_up"), int_of(link, "connections_total"),
         int_of(link, "sessions"), int_of(link, "in_flight")});
  done(*f);
}

/// Gathers this node's figures (asking the registry and the AI link).
void gather(stats_actor* self, std::function<void(json)> done) {
  auto& cfg = self->state.cfg;
  auto f = std::make_shared<json>(cfg.metrics->snapshot());
  auto ask_link = [=] {
    self->request(self->state.cfg.ai_link, ask_timeout, get_stats_atom::value)
        .then(
            [=](const std::string& text) {
              auto link = json::parse(text, nullptr, false);
              (*f)["ai_link"] = link.is_discarded() ? json() : link;
              complete(self, f, done);
            },
            [=](caf::error&) {
              (*f)["ai_link"] = nullptr;
              complete(self, f, done);
            });
  };
  self->request(cfg.registry, ask_timeout, count_atom::value)
      .then(
          [=](std::uint64_t n) {
            (*f)["live_sessions"] = n;
            ask_link();
          },
          [=](caf::error&) {
            (*f)["live_sessions"] = nullptr;
            ask_link();
          });
}

/// Sessions by status from the database (all nodes: JSON only, never a
/// per-node gauge, which sum() over nodes would multiply).
json sessions_by_status(stats_actor* self) {
  auto& cfg = self->state.cfg;
  if (!cfg.sessions)
    return nullptr;
  try {
    auto counts = cfg.sessions->count_by_status();
    json out = json::object();
    for (const char* s :
         {"initializing", "active", "paused", "completed", "error"})
      out[s] = counts.count(s) ? counts[s] : 0;
    return out;
  } catch (const std::exception& e) {
    spdlog::warn("stats: sessions by status unavailable: {}", e.what());
    return nullptr;
  }
}

/// Publishes this node's figures to the shared store (logs state changes).
void publish(stats_actor* self, const json& figures) {
  auto& st = self->state;
  if (!st.cfg.nodes)
    return;
  auto ttl = std::chrono::duration_cast<std::chrono::seconds>(
      std::max<std::chrono::milliseconds>(3 * st.cfg.interval,
                                          std::chrono::seconds(5)));
  try {
    st.cfg.nodes->publish(st.cfg.node_id, figures, ttl);
    if (st.nodes_failing)
      spdlog::info("stats: publishing node figures again");
    st.nodes_failing = false;
  } catch (const std::exception& e) {
    if (!st.nodes_failing)
      spdlog::warn("stats: node figures not published: {}", e.what());
    st.nodes_failing = true;
  }
}

/// Every node's figures; this node's fresh ones win over its stored copy.
json per_node(stats_actor* self, const json& mine) {
  auto& cfg = self->state.cfg;
  json out = json::object();
  if (cfg.nodes) {
    try {
      for (auto& [id, figures] : cfg.nodes->read_all())
        out[id] = figures;
    } catch (const std::exception& e) {
      spdlog::warn("stats: other nodes' figures unavailable: {}", e.what());
    }
  }
  out[cfg.node_id] = mine;
  return out;
}

} // namespace

caf::behavior
make_stats_supervisor(caf::stateful_actor<stats_supervisor_state>* self,
                      stats_config cfg) {
  self->state.cfg = std::move(cfg);
  self->send(self, stats_tick_atom::value);
  return {
      [=](stats_tick_atom) {
        gather(self, [=](json f) {
          publish(self, f);
          sessions_by_status(self);
        });
        self->delayed_send(self, self->state.cfg.interval,
                           stats_tick_atom::value);
      },
      [=](get_stats_atom) {
        auto rp = self->make_response_promise<std::string>();
        gather(self, [=](json f) mutable {
          publish(self, f);
          auto full = f;
          full["sessions_by_status"] = sessions_by_status(self);
          full["per_node"] = per_node(self, f);
          rp.deliver(full.dump());
        });
        return rp;
      },
      [=](refresh_atom) {
        auto rp = self->make_response_promise<bool>();
        gather(self, [=](json) mutable {
          sessions_by_status(self);
          rp.deliver(true);
        });
        return rp;
      },
      [=](shutdown_atom) {
        auto& c = self->state.cfg;
        if (c.nodes) {
          try {
            c.nodes->remove(c.node_id);
          } catch (const std::exception& e) {
            spdlog::warn("stats: node figures not withdrawn: {}", e.what());
          }
        }
        self->quit();
      },
  };
}

} // namespace tryon::actors
