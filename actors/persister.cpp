#include "actors/persister.hpp"

#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/session_atoms.hpp"
#include "persistence/store_error.hpp"

namespace tryon::actors {

namespace {

using p_retry_atom = caf::atom_constant<caf::atom("p_retry")>;
using persister = caf::stateful_actor<persister_state>;

/// Writes what `w` holds for `id`, clearing each part once saved; false
/// (and `w` keeps the rest) when the database fails.
bool write(persistence::session_store& sessions, const std::string& id,
           unsaved_writes& w, std::string& why) {
  try {
    if (w.status) {
      sessions.update_status(id, *w.status);
      w.status.reset();
    }
    if (w.stats) {
      sessions.update_stats(id, nlohmann::json::parse(*w.stats));
      w.stats.reset();
    }
    return true;
  } catch (const persistence::store_error& e) {
    why = e.what();
    return false;
  } catch (const std::exception& e) {
    // Not the database's fault (bad JSON): retrying would not help.
    spdlog::warn("session {}: write dropped: {}", id, e.what());
    w = {};
    return true;
  }
}

void schedule_retry(persister* self) {
  auto& st = self->state;
  if (st.retry_scheduled)
    return;
  st.retry_scheduled = true;
  self->delayed_send(self, st.retry_interval, p_retry_atom::value);
}

/// Writes the backlog in order until the database fails; true when empty.
bool flush(persister* self) {
  auto& st = self->state;
  std::size_t done = 0;
  std::string why;
  for (auto i = st.backlog.begin(); i != st.backlog.end();) {
    if (!write(*st.sessions, i->first, i->second, why)) {
      spdlog::debug("persister: {} session(s) still unsaved: {}",
                    st.backlog.size(), why);
      return false;
    }
    ++done;
    i = st.backlog.erase(i);
  }
  st.saved_late += done;
  spdlog::info("persister: database back, wrote the status/stats of {} "
               "session(s) kept during the outage",
               done);
  return true;
}

/// Queues a write: straight to the database when nothing waits, else behind
/// what waits (its order matters: an older status must not land last).
void submit(persister* self, const std::string& id, unsaved_writes w) {
  auto& st = self->state;
  if (st.backlog.empty()) {
    std::string why;
    if (write(*st.sessions, id, w, why))
      return;
    spdlog::warn("persister: database unavailable ({}): keeping writes "
                 "until it is back (at most {} sessions)",
                 why, st.max_backlog);
  }
  auto it = st.backlog.find(id);
  if (it == st.backlog.end()) {
    if (st.backlog.size() >= st.max_backlog) {
      if (st.lost++ == 0)
        spdlog::error("persister: backlog full ({} sessions): dropping "
                      "writes until the database is back",
                      st.max_backlog);
      return;
    }
    it = st.backlog.emplace(id, unsaved_writes{}).first;
  }
  if (w.status)
    it->second.status = std::move(w.status);
  if (w.stats)
    it->second.stats = std::move(w.stats);
  schedule_retry(self);
}

} // namespace

caf::behavior make_persister(persister* self,
                             persistence::session_store* sessions,
                             std::chrono::milliseconds retry_interval,
                             std::size_t max_backlog) {
  auto& st = self->state;
  st.sessions = sessions;
  st.retry_interval = retry_interval;
  st.max_backlog = max_backlog;
  return {
      // Writes arrive in order: everything sent before this is done.
      [=](shutdown_atom) {
        auto& st = self->state;
        if (!st.backlog.empty() && !flush(self)) {
          st.lost += st.backlog.size();
          spdlog::error("persister: database still unavailable at shutdown: "
                        "status/stats of {} session(s) not saved",
                        st.backlog.size());
        }
        self->quit();
      },
      [=](p_status_atom, const std::string& id, const std::string& status) {
        submit(self, id, unsaved_writes{status, std::nullopt});
      },
      [=](p_stats_atom, const std::string& id, const std::string& stats) {
        submit(self, id, unsaved_writes{std::nullopt, stats});
      },
      [=](p_retry_atom) {
        self->state.retry_scheduled = false;
        if (!flush(self))
          schedule_retry(self);
      },
      [=](count_atom) {
        return static_cast<std::uint64_t>(self->state.backlog.size());
      },
  };
}

} // namespace tryon::actors
