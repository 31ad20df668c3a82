#include "actors/simulator_actor.hpp"

#include <chrono>
#include <optional>

#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "adapters/simulator/simulator_book.hpp"
#include "adapters/simulator/simulator_feed.hpp"
#include "adapters/simulator/simulator_parse.hpp"

namespace tickflow {

namespace {

struct simulator_state {
  std::optional<simulator::feed> feed; // set when the behavior starts
  simulator_frame_source source;       // replaces the feed's frames if set
  std::optional<simulator::book_feed> book_feed; // with a books actor
  caf::typed_actor<caf::reacts_to<book_batch>> books;
  overflow_policy policy = overflow_policy::block;
  std::chrono::nanoseconds timer{10'000'000};
  flow_link out;
  stage_stats stats{"provider.simulator"};
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("provider");
  static inline const char* name = "provider.simulator";
};

simulator_actor::behavior_type
simulator_provider(simulator_actor::stateful_pointer<simulator_state> self,
                   topology topo, batch_sink_actor intake,
                   simulator_frame_source source,
                   caf::typed_actor<caf::reacts_to<book_batch>> books) {
  auto& st = self->state;
  st.feed.emplace(topo.simulator);
  if (books) {
    st.books = std::move(books);
    st.book_feed.emplace(topo.simulator,
                         provider_from_string("simulator").value_or(provider{}));
  }
  st.source = std::move(source);
  st.policy = topo.pipeline.overflow;
  st.timer = std::chrono::nanoseconds{topo.simulator.timer_ns};
  st.out = flow_link{std::move(intake), topo.pipeline.queue_bound};
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
      std::vector<std::string> frames;
      if (st.source)
        st.source(now_ns(), frames);
      else
        st.feed->advance(now_ns(), frames);
      if (st.book_feed) {
        book_batch books;
        st.book_feed->advance(*st.feed, now_ns(), books);
        if (!books.empty())
          self->send(st.books, std::move(books));
      }
      if (frames.empty())
        return;
      auto recv_ns = now_ns();
      st.stats.batches_in += 1;
      st.stats.events_in += frames.size();
      if (!st.out.has_credit()) { // policy drop: not worth parsing
        st.stats.dropped += frames.size();
        return;
      }
      event_batch batch;
      auto tally = simulator::parse_frames(frames, st.feed->symbols(), recv_ns, batch);
      if (tally.rejected > 0) {
        st.stats.rejected += tally.rejected;
        uint64_t suppressed = 0;
        if (st.throttle.allow(suppressed))
          st.log->warn("simulator: rejected {} frame(s), the first: {} ({} similar "
                       "suppressed)",
                       tally.rejected, tally.first_error.message(), suppressed);
      }
      st.stats.events_out += batch.size();
      if (!batch.empty())
        st.out.send(self, std::move(batch));
    },
    [=](ack_atom) { self->state.out.acked(); },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

simulator_actor spawn_simulator(caf::actor_system& sys, const topology& topo,
                                batch_sink_actor intake,
                                caf::typed_actor<caf::reacts_to<book_batch>> books) {
  return sys.spawn(simulator_provider, topo, std::move(intake),
                   simulator_frame_source{}, std::move(books));
}

simulator_actor spawn_simulator(caf::actor_system& sys, const topology& topo,
                                batch_sink_actor intake,
                                simulator_frame_source source) {
  return sys.spawn(simulator_provider, topo, std::move(intake), std::move(source),
                   caf::typed_actor<caf::reacts_to<book_batch>>{});
}

} // namespace tickflow
