#include "actors/provider_actor.hpp"

#include <chrono>
#include <optional>

#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/simulator/simulator_feed.hpp"
#include "adapters/simulator/simulator_provider.hpp"

namespace tickflow {

namespace {

struct simulator_state {
  std::optional<simulator::feed> feed; // set when the behavior starts
  overflow_policy policy = overflow_policy::block;
  std::chrono::nanoseconds timer{10'000'000};
  flow_link out;
  stage_stats stats{"provider.simulator"};
  std::shared_ptr<spdlog::logger> log = logger("provider");
  static inline const char* name = "provider.simulator";
};

caf::behavior simulator_provider(caf::stateful_actor<simulator_state>* self,
                                 topology topo, caf::actor normalizer) {
  auto& st = self->state;
  st.feed.emplace(topo.simulator);
  st.policy = topo.pipeline.overflow;
  st.timer = std::chrono::nanoseconds{topo.simulator.timer_ns};
  st.out = flow_link{std::move(normalizer), topo.pipeline.queue_bound};
  st.log->info("simulator started: {} symbols at {} trades/s each, seed {}",
               topo.simulator.symbols.size(), topo.simulator.trades_per_second,
               topo.simulator.seed);
  self->send(self, tick_atom::value);
  return {
    [=](tick_atom) {
      auto& st = self->state;
      self->delayed_send(self, st.timer, tick_atom::value);
      if (!st.out.has_credit() && st.policy == overflow_policy::block)
        return; // the pipeline is behind: let it catch up
      raw_batch batch;
      batch.source = providers::simulator;
      st.feed->advance(now_ns(), batch.frames);
      if (batch.frames.empty())
        return;
      batch.ts_recv_ns = now_ns();
      st.stats.batches_in += 1;
      st.stats.events_in += batch.frames.size();
      if (!st.out.has_credit()) { // policy drop
        st.stats.dropped += batch.frames.size();
        return;
      }
      st.stats.events_out += batch.frames.size();
      st.out.send(self, std::move(batch));
    },
    [=](ack_atom) { self->state.out.acked(); },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

caf::actor spawn_simulator_provider(caf::actor_system& sys,
                                    const topology& topo,
                                    caf::actor normalizer) {
  return sys.spawn(simulator_provider, topo, std::move(normalizer));
}

} // namespace tickflow
