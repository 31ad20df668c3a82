#include "actors/pipeline_actors.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "pipeline/providers/provider_info.hpp"
#include "pipeline/validate/validation_engine.hpp"

namespace tickflow {

std::vector<provider> all_providers() {
  std::vector<provider> xs;
  for (auto& p : provider_table())
    xs.push_back(p.id);
  return xs;
}

size_t shard_of(std::string_view instrument, size_t count) noexcept {
  return count <= 1 ? 0 : std::hash<std::string_view>{}(instrument) % count;
}

namespace {

// -- sharder ---------------------------------------------------------------------

struct sharder_state {
  std::vector<flow_link> validators;
  size_t bound = 1; ///< [pipeline] queue-bound of each link
  held_acks upstream;
  stage_stats stats{"sharder"};
  static inline const char* name = "sharder";
};

/// Moves every event of `all` into the shard of its instrument.
void distribute(event_batch& all, std::vector<event_batch>& shards) {
  auto n = shards.size();
  for (auto& x : all.trades)
    shards[shard_of(x.instrument, n)].trades.push_back(std::move(x));
  for (auto& x : all.quotes)
    shards[shard_of(x.instrument, n)].quotes.push_back(std::move(x));
  for (auto& x : all.bars)
    shards[shard_of(x.instrument, n)].bars.push_back(std::move(x));
  // Statuses concern a whole feed, not one instrument: one shard carries them.
  for (auto& x : all.statuses)
    shards[0].statuses.push_back(std::move(x));
}

sharder_actor::behavior_type sharder(sharder_actor::stateful_pointer<sharder_state> self,
                                     topology topo,
                                     std::vector<batch_sink_actor> validators) {
  auto& st = self->state;
  st.bound = topo.pipeline.queue_bound;
  for (auto& v : validators)
    st.validators.emplace_back(std::move(v), st.bound);
  return {
    [=](event_batch& in) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += in.size();
      st.stats.events_out += in.size();
      if (st.validators.size() == 1) { // one shard: the batch as it is
        if (!in.empty())
          st.validators[0].send(self, std::move(in));
      } else {
        std::vector<event_batch> shards(st.validators.size());
        distribute(in, shards);
        for (size_t i = 0; i < shards.size(); ++i)
          if (!shards[i].empty())
            st.validators[i].send(self, std::move(shards[i]));
      }
      st.upstream.ack_or_hold(self, all_have_credit(st.validators));
      st.stats.held = st.upstream.size();
    },
    [=](ack_atom) {
      auto& st = self->state;
      ack_link(st.validators, self->current_sender());
      if (all_have_credit(st.validators))
        st.upstream.release(self);
      st.stats.held = st.upstream.size();
    },
    [=](drain_atom) { return drain_through(self, receivers(self->state.validators)); },
    [=](reload_atom, std::vector<batch_sink_actor>& next) -> caf::result<bool> {
      // A resized validator pool: batches go to the new shards from now on;
      // the answer comes once the old ones have handled what they were sent
      // (their marker follows it), so the supervisor can stop them.
      auto& st = self->state;
      auto old = receivers(st.validators);
      st.validators.clear();
      for (auto& v : next)
        st.validators.emplace_back(std::move(v), st.bound);
      if (all_have_credit(st.validators))
        st.upstream.release(self);
      st.stats.held = st.upstream.size();
      return drain_through(self, old);
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

// -- validator --------------------------------------------------------------------

struct validator_state {
  flow_link router;
  held_acks upstream;
  std::optional<validation_engine> engine;
  std::optional<alert_limiter> limiter;
  alerter_actor alerter;
  std::vector<quarantine_sink_actor> sinks; ///< where quarantined events go (storage, streams)
  uint64_t quarantine_sent = 0; ///< quarantine totals().added already sent
  std::optional<quarantine> remote; ///< other nodes' quarantined events (from the streams)
  std::chrono::nanoseconds health_interval{10'000'000'000};
  stage_stats stats;
  log_throttle throttle;
  std::shared_ptr<spdlog::logger> log = logger("pipeline");
  static inline const char* name = "validator";

  void raise(std::vector<alert> xs) {
    for (auto& a : xs)
      if (alerter)
        caf::anon_send(alerter, std::move(a));
  }

  /// Logs the findings that dropped an event (rate-limited) and feeds every
  /// finding to the alert limiter.
  void report(const batch_verdict& v, int64_t now) {
    for (auto& f : v.findings) {
      if (f.action == rule_action::drop) {
        uint64_t suppressed = 0;
        if (throttle.allow(suppressed))
          log->warn("{}: dropped {} from {}: {}: {} ({} similar suppressed)",
                    stats.name, f.instrument, to_string(f.source),
                    to_string(f.which), f.reason, suppressed);
      }
      raise(limiter->on_finding(f, now));
    }
    persist_quarantine();
  }

  /// Sends the events quarantined since the last call to the sinks (oldest
  /// first). The in-memory ring and its counters stay the record of truth;
  /// Postgres keeps the history, the streams tell the other nodes.
  void persist_quarantine() {
    auto added = engine->quarantined().totals().added;
    if (sinks.empty() || added == quarantine_sent)
      return;
    auto fresh = engine->quarantined().recent(added - quarantine_sent);
    quarantine_sent = added;
    std::reverse(fresh.begin(), fresh.end());
    for (size_t i = 0; i + 1 < sinks.size(); ++i)
      caf::anon_send(sinks[i], quarantine_atom::value, fresh);
    caf::anon_send(sinks.back(), quarantine_atom::value, std::move(fresh));
  }
};

validator_actor::behavior_type
validator(validator_actor::stateful_pointer<validator_state> self, topology topo,
          size_t index, batch_sink_actor router, alerter_actor alerter,
          std::vector<std::string> watched) {
  auto& st = self->state;
  st.router = flow_link{std::move(router), topo.pipeline.queue_bound};
  st.stats.name = "validator." + std::to_string(index);
  st.engine.emplace(topo.validator.rules);
  st.limiter.emplace(topo.validator.rules.alerts);
  st.alerter = std::move(alerter);
  st.health_interval = std::chrono::nanoseconds{topo.validator.health_interval_ns};
  auto now = now_ns();
  for (auto& id : watched)
    st.engine->watch(id, now);
  self->delayed_send(self, st.health_interval, tick_atom::value);
  return {
    [=](event_batch& batch) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += batch.size();
      auto now = now_ns();
      auto verdict = st.engine->check(batch, now);
      st.stats.rejected += verdict.dropped;
      if (!verdict.findings.empty())
        st.report(verdict, now);
      st.stats.events_out += batch.size();
      if (!batch.empty())
        st.router.send(self, std::move(batch));
      st.upstream.ack_or_hold(self, st.router.has_credit());
      st.stats.held = st.upstream.size();
    },
    [=](tick_atom) {
      // Health: stale symbols become findings; the limiter's window closes.
      auto& st = self->state;
      auto now = now_ns();
      for (auto& s : st.engine->stale_symbols(now))
        st.raise(st.limiter->on_finding(to_finding(s), now));
      st.raise(st.limiter->tick(now));
      self->delayed_send(self, st.health_interval, tick_atom::value);
    },
    [=](ack_atom) {
      auto& st = self->state;
      st.router.acked();
      if (st.router.has_credit())
        st.upstream.release(self);
      st.stats.held = st.upstream.size();
    },
    [=](drain_atom) {
      auto& st = self->state;
      st.persist_quarantine();
      return drain_through(self, {st.router.dest()});
    },
    [=](writer_atom, quarantine_sink_actor sink) {
      auto& st = self->state;
      st.persist_quarantine(); // what came before goes to the sinks known then
      st.sinks.push_back(std::move(sink));
      st.quarantine_sent = st.engine->quarantined().totals().added;
    },
    [=](quarantine_atom, std::vector<quarantined_event>& xs) {
      auto& st = self->state;
      if (!st.remote)
        st.remote.emplace(st.engine->quarantined().capacity());
      for (auto& x : xs)
        st.remote->add(std::move(x));
    },
    [=](quality_atom, const std::string& instrument) {
      auto& e = *self->state.engine;
      validator_quality q;
      q.subject = instrument.empty() ? e.overall() : e.quality_of_instrument(instrument);
      for (auto p : all_providers())
        if (auto r = e.quality_of_provider(p); r.events > 0)
          q.providers.emplace_back(std::string{to_string(p)}, r);
      for (auto& s : e.stale_symbols(now_ns()))
        q.stale.push_back(s.instrument);
      q.instruments = e.instruments();
      q.evicted = e.evicted();
      return q;
    },
    [=](quarantine_atom, const std::string& instrument, uint64_t limit) {
      auto& e = *self->state.engine;
      quarantine_page page;
      page.events = e.quarantined().recent(limit, instrument);
      page.totals = e.quarantined().totals();
      if (auto& r = self->state.remote) {
        auto more = r->recent(limit, instrument);
        page.events.insert(page.events.end(), std::make_move_iterator(more.begin()),
                           std::make_move_iterator(more.end()));
        page.totals.added += r->totals().added;
        page.totals.evicted += r->totals().evicted;
        page.totals.dropped += r->totals().dropped;
        page.totals.flagged += r->totals().flagged;
      }
      return page;
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

// -- router -----------------------------------------------------------------------

struct router_state {
  std::vector<flow_link> sinks;
  held_acks upstream;
  stage_stats stats{"router"};
  static inline const char* name = "router";
};

router_actor::behavior_type router(router_actor::stateful_pointer<router_state> self,
                                   topology topo, std::vector<batch_sink_actor> sinks) {
  for (auto& s : sinks)
    self->state.sinks.emplace_back(std::move(s), topo.pipeline.queue_bound);
  return {
    [=](event_batch& batch) {
      auto& st = self->state;
      st.stats.batches_in += 1;
      st.stats.events_in += batch.size();
      st.stats.events_out += batch.size();
      // One message shared by every sink (copy-on-write: sinks only read).
      auto msg = caf::make_message(std::move(batch));
      for (auto& sink : st.sinks)
        sink.send_shared(self, msg);
      st.upstream.ack_or_hold(self, all_have_credit(st.sinks));
      st.stats.held = st.upstream.size();
    },
    [=](ack_atom) {
      auto& st = self->state;
      ack_link(st.sinks, self->current_sender());
      if (all_have_credit(st.sinks))
        st.upstream.release(self);
      st.stats.held = st.upstream.size();
    },
    [=](drain_atom) { return drain_through(self, receivers(self->state.sinks)); },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

sharder_actor spawn_sharder(caf::actor_system& sys, const topology& topo,
                            std::vector<batch_sink_actor> validators) {
  return sys.spawn(sharder, topo, std::move(validators));
}

validator_actor spawn_validator(caf::actor_system& sys, const topology& topo,
                                size_t index, batch_sink_actor router,
                                alerter_actor alerter,
                                std::vector<std::string> watched) {
  return sys.spawn(validator, topo, index, std::move(router), std::move(alerter),
                   std::move(watched));
}

router_actor spawn_router(caf::actor_system& sys, const topology& topo,
                          std::vector<batch_sink_actor> sinks) {
  return sys.spawn(router, topo, std::move(sinks));
}

} // namespace tickflow
