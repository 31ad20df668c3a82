#include "actors/supervisor.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "actors/alerter_actor.hpp"
#include "actors/books_actor.hpp"
#include "actors/broadcaster_actor.hpp"
#include "actors/cache_actor.hpp"
#include "actors/cache_writer_actor.hpp"
#include "actors/clock.hpp"
#include "actors/flow.hpp"
#include "actors/gateway_actor.hpp"
#include "actors/jobs_actor.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/pipeline_actors.hpp"
#include "actors/redis_reader_actor.hpp"
#include "actors/redis_subscriber_actor.hpp"
#include "actors/replay_provider_actor.hpp"
#include "actors/rest_provider_actor.hpp"
#include "actors/scheduler_actor.hpp"
#include "actors/simulator_actor.hpp"
#include "actors/storage_writer_actor.hpp"
#include "actors/stream_provider_actor.hpp"
#include "pipeline/flow/restart_backoff.hpp"
#include "pipeline/topology/instruments.hpp"

namespace tickflow {

namespace {

/// A child's handle as an untyped one, for the lists of mixed children below.
template <class Handle>
auto as_untyped(const Handle& h) {
  return caf::actor_cast<caf::actor>(h); // untyped: see provider_slot and stages()
}

/// One supervised provider slot: its current actor and restart bookkeeping.
struct provider_slot {
  std::string name;
  /// A REST, stream, replay or simulator actor: only monitored, stopped and
  /// listed by name.
  caf::actor actor; // untyped: four provider kinds, four interfaces
  int64_t started_ns = 0;
  restart_backoff backoff;
  int stream = -1; ///< index in supervisor_state::streams: a live stream connection
  std::string key_fingerprint; ///< REST: hash of its credentials when spawned
};

struct supervisor_state {
  topology topo;
  boost::asio::io_context* ioc = nullptr;
  cache_actor cache;
  broadcaster_actor broadcaster;
  router_actor router;
  sharder_actor sharder;
  gateway_actor gateway;
  alerter_actor alerter;
  cache_writer_actor cache_writer;     ///< null unless enabled
  storage_writer_actor storage_writer; ///< null unless enabled
  redis_reader_actor redis_reader; ///< the read path's Redis step; null unless [redis] enabled
  redis_subscriber_actor redis_subscriber; ///< other nodes' events; null unless [cluster] subscribe
  scheduler_actor scheduler; ///< rate limits and failover of every REST fetch
  jobs_actor jobs;           ///< scheduled refresh/backfill and async fetch jobs
  std::vector<validator_actor> validators;
  std::vector<provider_slot> providers;
  std::vector<stream_connection_spec> streams; ///< live stream connections
  std::map<std::string, rest_provider_actor> stream_rest; ///< per stream provider
  std::map<std::string, capture_writer_actor> captures;   ///< per stream provider
  books_actor books; ///< order books: providers -> books -> broadcaster, gateway
  bool stopping = false;
  bool draining = false;         ///< the drain marker is on its way
  size_t providers_stopping = 0; ///< providers not yet down during a stop
  caf::error stop_reason;
  std::shared_ptr<spdlog::logger> log = logger("supervisor");
  static inline const char* name = "supervisor";

  /// Every actor but the providers, in pipeline order: to monitor, stop and
  /// ask for stats (jobs answers none: its entry reads "unavailable").
  std::vector<caf::actor> stages() const { // untyped: children of every interface
    std::vector<caf::actor> xs;            // untyped: as above
    auto add = [&](const auto& a) { xs.push_back(as_untyped(a)); };
    add(sharder);
    for (auto& v : validators)
      add(v);
    add(router);
    add(cache);
    add(broadcaster);
    add(gateway);
    add(alerter);
    if (cache_writer)
      add(cache_writer);
    if (storage_writer)
      add(storage_writer);
    if (redis_reader)
      add(redis_reader);
    if (redis_subscriber)
      add(redis_subscriber);
    if (scheduler)
      add(scheduler);
    if (jobs)
      add(jobs);
    if (books)
      add(books);
    return xs;
  }

  /// The stages the gateway reports on, named (the gateway left out).
  stage_handles gateway_view() const {
    stage_handles h;
    h.intake = sharder;
    h.cache_writer = cache_writer;
    h.storage_writer = storage_writer;
    h.broadcaster = broadcaster;
    auto add = [&](std::string name, const stats_actor& a) {
      if (a) {
        h.names.push_back(std::move(name));
        h.actors.push_back(a);
      }
    };
    add("sharder", sharder);
    for (size_t i = 0; i < validators.size(); ++i)
      add("validator." + std::to_string(i), validators[i]);
    add("router", router);
    add("cache", cache);
    add("broadcaster", broadcaster);
    add("alerter", alerter);
    add("cache_writer", cache_writer);
    add("storage_writer", storage_writer);
    add("redis_subscriber", redis_subscriber);
    return h;
  }
};

using supervisor_ptr = supervisor_actor::stateful_pointer<supervisor_state>;

/// The simulator's instruments, if it is enabled (what the validators
/// watch for staleness from the start).
std::vector<std::string> simulated_instruments(const topology& topo) {
  std::vector<std::string> xs;
  for (auto& p : topo.providers)
    if (p == "simulator")
      for (auto& s : topo.simulator.symbols)
        xs.push_back(s.instrument);
  return xs;
}

/// Tells the gateway which provider actors are alive now.
void publish_providers(supervisor_ptr self) {
  auto& st = self->state;
  provider_handles h;
  for (auto& p : st.providers) {
    if (p.stream >= 0 || p.name == "replay")
      continue; // not REST providers: the gateway cannot fetch from them
    h.names.push_back(p.name);
    h.actors.push_back(p.actor);
  }
  if (st.scheduler) // it calls them; the gateway reports their health
    self->send(st.scheduler, h);
  self->send(st.gateway, std::move(h));
}

/// What the credentials of a REST provider are now: the variable's name and a
/// hash of its value (never the value: this string may be logged).
std::string key_fingerprint(const rest_provider_settings& cfg) {
  if (cfg.api_key_env.empty())
    return {};
  auto* v = std::getenv(cfg.api_key_env.c_str());
  return cfg.api_key_env + "#"
         + std::to_string(std::hash<std::string_view>{}(v ? v : ""));
}

/// True if a REST provider must be restarted to take `next`.
bool rest_changed(const rest_provider_settings& a, const rest_provider_settings& b) {
  return a.base_url != b.base_url || a.api_key_env != b.api_key_env
         || a.timeout_ns != b.timeout_ns || a.connect_timeout_ns != b.connect_timeout_ns
         || a.max_body_bytes != b.max_body_bytes || a.symbol_overrides != b.symbol_overrides;
}

provider_slot make_slot(std::string name, const supervisor_settings& sup, int stream = -1) {
  return provider_slot{std::move(name), {}, 0,
                       restart_backoff{sup.restart_backoff_min_ns, sup.restart_backoff_max_ns,
                                       sup.restart_reset_after_ns},
                       stream, {}};
}

provider_slot* find_slot(supervisor_state& st, const std::string& name) {
  for (auto& p : st.providers)
    if (p.name == name)
      return &p;
  return nullptr;
}

void spawn_provider(supervisor_ptr self, provider_slot& slot) {
  auto& st = self->state;
  auto actor_or_null = [](const auto& m, const std::string& k) {
    auto i = m.find(k);
    return i == m.end() ? typename std::decay_t<decltype(m)>::mapped_type{} : i->second;
  };
  if (slot.stream >= 0) {
    auto& spec = st.streams[static_cast<size_t>(slot.stream)];
    auto& name = spec.settings.name;
    auto a = spawn_stream_provider(self->system(), st.topo, spec, st.sharder,
                                   actor_or_null(st.stream_rest, name),
                                   actor_or_null(st.captures, name));
    // Backfills draw on the provider's budget when the scheduler has one for it.
    auto& enabled = st.topo.providers;
    if (st.scheduler && std::find(enabled.begin(), enabled.end(), name) != enabled.end())
      self->send(a, scheduler_atom::value, sched_fetch_actor{st.scheduler});
    slot.actor = as_untyped(a);
  } else if (slot.name == "replay") {
    slot.actor = as_untyped(spawn_replay_provider(self->system(), st.topo, st.sharder));
  } else if (slot.name == "simulator") {
    slot.actor = as_untyped(spawn_simulator(self->system(), st.topo, st.sharder,
                                                 st.books));
  } else {
    auto& cfg = st.topo.rest_providers.at(slot.name); // checked by load_topology
    slot.actor = as_untyped(spawn_rest_provider(self->system(), cfg, st.sharder));
    slot.key_fingerprint = key_fingerprint(cfg);
  }
  slot.started_ns = now_ns();
  self->monitor(slot.actor);
}

/// Live stream connections ([streams]) and the replay provider ([replay]),
/// supervised like providers. Each stream provider with backfill on and a
/// REST section gets a REST actor of its own for backfills (no intake:
/// recovered events reach the pipeline through the stream actor, deduplicated
/// and marked), and one capture writer when capture-dir is set.
void add_stream_slots(supervisor_ptr self) {
  auto& st = self->state;
  auto& sys = self->system();
  auto& topo = st.topo;
  auto& sup = topo.supervisor;
  auto add = [&](std::string name, int stream) {
    st.providers.push_back(make_slot(std::move(name), sup, stream));
    spawn_provider(self, st.providers.back());
  };
  for (auto& feed : topo.streams.enabled_feeds()) {
    auto rest = topo.rest_providers.find(feed.name);
    if (feed.backfill && rest != topo.rest_providers.end() && !rest->second.base_url.empty())
      st.stream_rest[feed.name] = spawn_rest_provider(sys, rest->second, batch_sink_actor{});
    if (!feed.capture_dir.empty())
      st.captures[feed.name] = spawn_capture_writer(sys, feed.capture_dir, feed.name);
  }
  st.streams = plan_stream_connections(topo);
  for (size_t i = 0; i < st.streams.size(); ++i)
    add("stream." + st.streams[i].connection, static_cast<int>(i));
  if (topo.streams.replay.enabled)
    add("replay", -1);
}

/// Spawns validator `i` of `count`, watching the simulated instruments of its shard.
validator_actor spawn_validator_shard(supervisor_ptr self, size_t i, size_t count) {
  auto& st = self->state;
  std::vector<std::string> watched;
  for (auto& id : simulated_instruments(st.topo))
    if (shard_of(id, count) == i)
      watched.push_back(id);
  auto v = spawn_validator(self->system(), st.topo, i, st.router, st.alerter,
                           std::move(watched));
  if (st.storage_writer)
    self->send(v, writer_atom::value, quarantine_sink_actor{st.storage_writer});
  if (st.cache_writer) // the streams: other nodes list them too
    self->send(v, writer_atom::value, quarantine_sink_actor{st.cache_writer});
  if (i == 0 && st.redis_subscriber) // other nodes' quarantined events
    self->send(st.redis_subscriber, writer_atom::value, quarantine_sink_actor{v});
  return v;
}

/// SIGHUP with another validator count: a new pool takes the shards; the old
/// one stops once the sharder says it handled what it was sent. Rolling
/// statistics start again in the new shards (they warm up within a window).
void resize_validators(supervisor_ptr self, size_t count) {
  auto& st = self->state;
  auto old = st.validators;
  std::vector<validator_actor> next;
  for (size_t i = 0; i < count; ++i) {
    next.push_back(spawn_validator_shard(self, i, count));
    self->monitor(next.back());
  }
  st.validators = next;
  st.topo.validator.count = count;
  self->send(st.gateway, reload_atom::value, next);
  self->send(st.gateway, st.gateway_view());
  self->request(st.sharder, drain_timeout, reload_atom::value,
                std::vector<batch_sink_actor>(next.begin(), next.end()))
    .then([=](bool) {
      for (auto& v : old) {
        self->demonitor(v.address());
        self->send_exit(v, caf::exit_reason::user_shutdown);
      }
      self->state.log->info("validator pool resized: {} -> {}", old.size(), count);
    });
}

/// SIGHUP: providers added to [providers] enabled start, removed ones stop,
/// REST providers whose section or key changed restart with it; the slots
/// follow the new order (the failover order).
std::string reload_providers(supervisor_ptr self, const topology& next) {
  auto& st = self->state;
  std::vector<std::string> added, removed, restarted;
  auto listed = [&](const std::string& name) {
    return std::find(next.providers.begin(), next.providers.end(), name)
           != next.providers.end();
  };
  auto retire = [&](provider_slot& p) {
    if (p.actor) {
      self->demonitor(p.actor);
      self->send_exit(p.actor, caf::exit_reason::user_shutdown);
      p.actor = nullptr;
    }
  };
  auto old_rest = st.topo.rest_providers;
  st.topo.providers = next.providers;
  st.topo.rest_providers = next.rest_providers;
  if (std::find(next.providers.begin(), next.providers.end(), "simulator")
        != next.providers.end()
      && !find_slot(st, "simulator"))
    st.topo.simulator = next.simulator; // a newly added simulator takes the new section
  std::vector<provider_slot> slots, streams;
  for (auto& p : st.providers) {
    if (p.stream >= 0 || p.name == "replay")
      streams.push_back(std::move(p));
    else if (!listed(p.name)) {
      retire(p);
      removed.push_back(p.name);
    } else
      slots.push_back(std::move(p));
  }
  std::vector<provider_slot> ordered;
  auto& sup = st.topo.supervisor;
  for (auto& name : next.providers) {
    auto have = std::find_if(slots.begin(), slots.end(),
                             [&](const provider_slot& s) { return s.name == name; });
    if (have == slots.end()) {
      ordered.push_back(make_slot(name, sup));
      added.push_back(name);
      continue;
    }
    ordered.push_back(std::move(*have));
    auto& slot = ordered.back();
    auto now_cfg = next.rest_providers.find(name);
    auto was_cfg = old_rest.find(name);
    if (now_cfg != next.rest_providers.end() && was_cfg != old_rest.end()
        && (rest_changed(was_cfg->second, now_cfg->second)
            || key_fingerprint(now_cfg->second) != slot.key_fingerprint)) {
      retire(slot);
      restarted.push_back(name);
    }
  }
  for (auto& s : streams)
    ordered.push_back(std::move(s));
  st.providers = std::move(ordered);
  if (added.empty() && removed.empty() && restarted.empty())
    return {};
  self->send(st.scheduler, reload_atom::value, next); // budgets of new providers
  self->send(st.gateway, reload_atom::value, next);
  for (auto& p : st.providers)
    if (!p.actor && (p.stream >= 0 || p.name == "replay" || listed(p.name)))
      if (std::find(removed.begin(), removed.end(), p.name) == removed.end())
        spawn_provider(self, p);
  publish_providers(self);
  auto list = [](const std::vector<std::string>& xs) {
    return xs.empty() ? std::string{"none"} : fmt::format("{}", fmt::join(xs, " "));
  };
  auto what = "providers (added " + list(added) + ", removed " + list(removed)
              + ", restarted " + list(restarted) + ")";
  st.log->info("reload: {}", what);
  return what;
}

void build(supervisor_ptr self) {
  auto& st = self->state;
  auto& sys = self->system();
  auto& topo = st.topo;
  // Known before any event: the simulator's and the streams' instruments.
  auto known = live_instruments(topo);
  st.cache = spawn_cache(sys, topo, known);
  st.broadcaster = spawn_broadcaster(sys, topo, *st.ioc, known, st.cache);
  std::vector<batch_sink_actor> sinks{st.cache, st.broadcaster};
  if (topo.redis.enabled) {
    st.cache_writer = spawn_cache_writer(sys, topo);
    sinks.push_back(st.cache_writer);
  }
  if (topo.storage.enabled) {
    st.storage_writer = spawn_storage_writer(sys, topo);
    sinks.push_back(st.storage_writer);
  }
  st.router = spawn_router(sys, topo, std::move(sinks));
  if (topo.cluster.subscribe) // other nodes' events, to this node's clients and L1
    st.redis_subscriber = spawn_redis_subscriber(sys, topo, {st.cache, st.broadcaster},
                                                 st.broadcaster);
  st.alerter = spawn_alerter(sys, topo);
  for (size_t i = 0; i < topo.validator.count; ++i)
    st.validators.push_back(spawn_validator_shard(self, i, topo.validator.count));
  st.sharder = spawn_sharder(sys, topo,
                             std::vector<batch_sink_actor>(st.validators.begin(),
                                                           st.validators.end()));
  st.gateway = spawn_gateway(sys, topo, *st.ioc, st.cache, st.validators);
  st.scheduler = spawn_scheduler(sys, topo);
  self->send(st.gateway, scheduler_atom::value, st.scheduler);
  self->send(st.gateway, st.gateway_view()); // reports, webhooks
  st.jobs = spawn_jobs(sys, topo);
  self->send(st.gateway, jobs_atom::value, st.jobs);
  self->send(st.jobs, internal_atom::value, internal_calls_actor{st.gateway});
  if (topo.redis.enabled) { // the read path's Redis step
    st.redis_reader = spawn_redis_reader(sys, topo);
    self->send(st.gateway, redis_atom::value, st.redis_reader);
  }
  if (st.storage_writer) // the read path's Postgres step
    self->send(st.gateway, writer_atom::value, st.storage_writer);
  st.books = spawn_books(sys, topo, st.broadcaster);
  self->send(st.gateway, books_atom::value, st.books);
  for (auto& a : st.stages())
    self->monitor(a);
  auto& sup = topo.supervisor;
  for (auto& name : topo.providers) {
    st.providers.push_back(make_slot(name, sup));
    spawn_provider(self, st.providers.back());
  }
  add_stream_slots(self);
  publish_providers(self);
  st.log->info("topology: {} provider(s) [{}], {} validator(s), queue bound "
               "{}, redis writer {}, storage writer {}",
               topo.providers.size(), fmt::join(topo.providers, ", "),
               topo.validator.count, topo.pipeline.queue_bound,
               topo.redis.enabled ? "on" : "off",
               topo.storage.enabled ? "on" : "off");
}

/// Stops every child, providers first so the pipeline drains from its head.
void stop_all(supervisor_ptr self, const caf::error& reason) {
  auto& st = self->state;
  st.stopping = true;
  for (auto& p : st.providers)
    if (p.actor)
      self->send_exit(p.actor, reason);
  for (auto& a : st.stages())
    if (a)
      self->send_exit(a, reason);
  for (auto& [name, a] : st.stream_rest)
    self->send_exit(a, reason);
  for (auto& [name, a] : st.captures)
    self->send_exit(a, reason);
}

/// The second half of a stop: a drain marker through the stages (each
/// answers once what it got before has passed everything after it, the
/// writers flushed), then every stage exits.
void drain(supervisor_ptr self) {
  auto& st = self->state;
  if (st.draining)
    return;
  st.draining = true;
  auto t0 = now_ns();
  auto finish = [=](bool ok) {
    auto& st = self->state;
    st.log->info("drained{} in {} ms", ok ? "" : " (a stage did not answer)",
                 (now_ns() - t0) / 1'000'000);
    stop_all(self, st.stop_reason);
    self->quit(st.stop_reason);
  };
  self->request(st.sharder, drain_timeout, drain_atom::value)
    .then([=](bool ok) { finish(ok); }, [=](caf::error&) { finish(false); });
}

/// A stop (SIGTERM/SIGINT via main): intake first (providers exit), then,
/// once they are down, the drain. main bounds the whole of it.
void graceful_stop(supervisor_ptr self, const caf::error& reason) {
  auto& st = self->state;
  if (st.stopping)
    return;
  st.stopping = true;
  st.stop_reason = reason;
  for (auto& p : st.providers)
    if (p.actor) {
      st.providers_stopping += 1;
      self->send_exit(p.actor, reason);
    }
  st.log->info("stopping: {} provider(s) first, then a drain through every stage",
               st.providers_stopping);
  if (st.providers_stopping == 0)
    drain(self);
  else // a provider stuck in I/O does not hold the drain back for long
    self->delayed_send(self, std::chrono::seconds{3}, drain_atom::value);
}

supervisor_actor::behavior_type supervisor(supervisor_ptr self, topology topo,
                                           boost::asio::io_context* ioc) {
  self->state.topo = std::move(topo);
  self->state.ioc = ioc;
  build(self);
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    if (st.stopping) {
      for (auto& p : st.providers)
        if (p.actor && p.actor.address() == dm.source) {
          p.actor = nullptr;
          if (--st.providers_stopping == 0)
            drain(self);
        }
      return;
    }
    for (size_t i = 0; i < st.providers.size(); ++i) {
      auto& p = st.providers[i];
      if (p.actor && p.actor.address() == dm.source) {
        auto delay = p.backoff.on_crash(p.started_ns, now_ns());
        st.log->warn("provider {} stopped ({}): restart #{} in {} ms", p.name,
                     self->system().render(dm.reason), p.backoff.streak(),
                     delay / 1'000'000);
        p.actor = nullptr;
        publish_providers(self);
        self->delayed_send(self, std::chrono::nanoseconds{delay},
                           restart_atom::value, p.name);
        return;
      }
    }
    st.log->critical("pipeline stage stopped ({}): shutting down",
                     self->system().render(dm.reason));
    auto reason = dm.reason ? dm.reason : caf::make_error(caf::exit_reason::unknown);
    stop_all(self, reason);
    self->quit(reason);
  });
  self->set_exit_handler([=](caf::exit_msg& em) { graceful_stop(self, em.reason); });
  return {
    [=](reload_atom, topology& next) -> std::string {
      // What can change without a restart changes now; the rest is named.
      auto& st = self->state;
      std::vector<std::string> applied{"log"};
      setup_logging(next.log);
      if (st.jobs) {
        self->send(st.jobs, reload_atom::value, next.jobs);
        applied.push_back("jobs");
        applied.push_back("watchlist");
      }
      st.topo.log = next.log;
      st.topo.jobs = next.jobs;
      if (auto what = reload_providers(self, next); !what.empty())
        applied.push_back(what);
      if (next.validator.count != st.validators.size()) {
        applied.push_back("validators " + std::to_string(st.validators.size()) + " -> "
                          + std::to_string(next.validator.count));
        resize_validators(self, next.validator.count);
      }
      auto summary = "applied: " + fmt::format("{}", fmt::join(applied, ", "))
                     + "; every other change takes effect at the next restart";
      st.log->info("config reloaded ({})", summary);
      return summary;
    },
    [=](drain_atom) { // a provider did not stop in time: drain anyway
      if (self->state.stopping)
        drain(self);
    },
    [=](start_atom) -> caf::result<listen_ports> {
      auto rp = self->make_response_promise<listen_ports>();
      auto& st = self->state;
      auto timeout = std::chrono::seconds{10};
      self->request(st.broadcaster, timeout, start_atom::value)
        .then(
          [=](uint16_t ws_port) mutable {
            self->request(self->state.gateway, timeout, start_atom::value)
              .then([=](uint16_t rest_port) mutable {
                      rp.deliver(listen_ports{rest_port, ws_port});
                    },
                    [=](caf::error& e) mutable { rp.deliver(std::move(e)); });
          },
          [=](caf::error& e) mutable { rp.deliver(std::move(e)); });
      return rp;
    },
    [=](restart_atom, const std::string& name) {
      auto& st = self->state;
      auto* slot = find_slot(st, name);
      if (st.stopping || !slot || slot->actor) // removed or re-spawned by a reload
        return;
      spawn_provider(self, *slot);
      publish_providers(self);
      st.log->info("provider {} restarted", name);
    },
    [=](providers_atom) {
      std::vector<caf::actor> xs; // untyped: providers of four kinds (provider_slot)
      for (auto& p : self->state.providers)
        if (p.actor)
          xs.push_back(p.actor);
      return xs;
    },
    [=](stats_atom) -> caf::result<std::vector<stage_stats>> {
      // Ask every stage, gather the answers in pipeline order.
      auto& st = self->state;
      std::vector<caf::actor> all; // untyped: see stages()
      for (auto& p : st.providers)
        if (p.actor)
          all.push_back(p.actor);
      for (auto& a : st.stages())
        all.push_back(a);
      auto rp = self->make_response_promise<std::vector<stage_stats>>();
      auto results = std::make_shared<std::vector<stage_stats>>(all.size());
      auto pending = std::make_shared<size_t>(all.size());
      for (size_t i = 0; i < all.size(); ++i)
        self->request(all[i], std::chrono::seconds{2}, stats_atom::value)
          .then(
            [=](const stage_stats& s) mutable {
              (*results)[i] = s;
              if (--*pending == 0)
                rp.deliver(*results);
            },
            [=](caf::error&) mutable {
              (*results)[i].name = "unavailable";
              if (--*pending == 0)
                rp.deliver(*results);
            });
      return rp;
    },
  };
}

} // namespace

supervisor_actor spawn_supervisor(caf::actor_system& sys, topology topo,
                                  boost::asio::io_context& ioc) {
  return sys.spawn(supervisor, std::move(topo), &ioc);
}

} // namespace tickflow
