// Cost of one CAF 0.17 request/response between two event-based actors (the
// session -> AI link -> session path has such hops per frame). A driver
// actor chains `batch` requests to an echo actor; the time per iteration
// divided by `batch` is one round trip (two hops).
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include <benchmark/benchmark.h>

#include <memory>
#include <string>

using hop_bytes = std::shared_ptr<const std::string>;
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(hop_bytes)

namespace {

using hop_atom = caf::atom_constant<caf::atom("hop")>;
using run_atom = caf::atom_constant<caf::atom("run")>;

caf::behavior echo_actor() {
  return {[](hop_atom, hop_bytes& b) { return std::move(b); }};
}

void step(caf::event_based_actor* self, const caf::actor& echo,
          const hop_bytes& payload, int left, caf::response_promise rp) {
  if (left == 0) {
    rp.deliver(left);
    return;
  }
  self->request(echo, caf::infinite, hop_atom::value, payload)
      .then([=](hop_bytes&) { step(self, echo, payload, left - 1, rp); });
}

caf::behavior driver_actor(caf::event_based_actor* self, caf::actor echo,
                           hop_bytes payload) {
  return {[=](run_atom, int n) {
    auto rp = self->make_response_promise();
    step(self, echo, payload, n, rp);
    return rp;
  }};
}

// A system like the server's: two scheduler threads, 'sharing' policy.
struct hop_system {
  hop_system() {
    cfg.set("scheduler.max-threads", std::size_t{2});
    cfg.set("scheduler.policy", caf::atom("sharing"));
    cfg.set("logger.console", caf::atom("none"));
  }
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
};

void BM_ActorRequestResponse(benchmark::State& state) {
  constexpr int batch = 1000;
  hop_system hs;
  auto payload = std::make_shared<const std::string>(61440, 'x');
  auto echo = hs.sys.spawn(echo_actor);
  auto driver = hs.sys.spawn(driver_actor, echo, payload);
  {
    caf::scoped_actor self{hs.sys};
    for (auto _ : state)
      self->request(driver, caf::infinite, run_atom::value, batch)
          .receive([](int) {},
                   [&](caf::error&) { state.SkipWithError("caf"); });
    self->send_exit(driver, caf::exit_reason::user_shutdown);
    self->send_exit(echo, caf::exit_reason::user_shutdown);
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["us_per_round_trip"] = benchmark::Counter(
      static_cast<double>(state.iterations() * batch),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ActorRequestResponse)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ScopedActorRequest(benchmark::State& state) {
  hop_system hs;
  auto payload = std::make_shared<const std::string>(61440, 'x');
  auto echo = hs.sys.spawn(echo_actor);
  {
    caf::scoped_actor self{hs.sys};
    for (auto _ : state)
      self->request(echo, caf::infinite, hop_atom::value, payload)
          .receive([](hop_bytes&) {},
                   [&](caf::error&) { state.SkipWithError("caf"); });
    self->send_exit(echo, caf::exit_reason::user_shutdown);
  }
}
BENCHMARK(BM_ScopedActorRequest)->Unit(benchmark::kMicrosecond)->UseRealTime();

} // namespace
