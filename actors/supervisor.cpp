#include "actors/supervisor.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "actors/alerter_actor.hpp"
#include "actors/broadcaster_actor.hpp"
#include "actors/cache_actor.hpp"
#include "actors/cache_writer_actor.hpp"
#include "actors/clock.hpp"
#include "actors/gateway_actor.hpp"
#include "actors/jobs_actor.hpp"
#include "actors/logging.hpp"
#include "actors/messages.hpp"
#include "actors/pipeline_actors.hpp"
#include "actors/provider_actor.hpp"
#include "actors/redis_reader_actor.hpp"
#include "actors/replay_provider_actor.hpp"
#include "actors/rest_provider_actor.hpp"
#include "actors/scheduler_actor.hpp"
#include "actors/storage_writer_actor.hpp"
#include "actors/stream_provider_actor.hpp"
#include "pipeline/flow/restart_backoff.hpp"

namespace tickflow {

namespace {

/// One supervised provider slot: its current actor and restart bookkeeping.
struct provider_slot {
  std::string name;
  caf::actor actor;
  int64_t started_ns = 0;
  restart_backoff backoff;
  int stream = -1; ///< index in supervisor_state::streams: a live stream connection
};

struct supervisor_state {
  topology topo;
  boost::asio::io_context* ioc = nullptr;
  caf::actor cache, broadcaster, router, normalizer, gateway, alerter;
  caf::actor cache_writer, storage_writer; ///< null unless enabled
  caf::actor redis_reader; ///< the read path's Redis step; null unless [redis] enabled
  caf::actor scheduler;    ///< rate limits and failover of every REST fetch
  caf::actor jobs;         ///< scheduled refresh/backfill and async fetch jobs
  std::vector<caf::actor> validators;
  std::vector<provider_slot> providers;
  std::vector<stream_connection_spec> streams; ///< live stream connections
  std::map<std::string, caf::actor> stream_rest, captures; ///< per stream provider
  bool stopping = false;
  std::shared_ptr<spdlog::logger> log = logger("supervisor");
  static inline const char* name = "supervisor";

  /// Every actor but the providers, in pipeline order.
  std::vector<caf::actor> stages() const {
    std::vector<caf::actor> xs{normalizer};
    xs.insert(xs.end(), validators.begin(), validators.end());
    xs.insert(xs.end(), {router, cache, broadcaster, gateway, alerter});
    for (auto& w : {cache_writer, storage_writer, redis_reader})
      if (w)
        xs.push_back(w);
    if (scheduler)
      xs.push_back(scheduler);
    if (jobs)
      xs.push_back(jobs);
    return xs;
  }

  /// The stages the gateway reports on, named (the gateway left out).
  stage_handles gateway_view() const {
    stage_handles h;
    h.normalizer = normalizer;
    h.cache_writer = cache_writer;
    h.storage_writer = storage_writer;
    auto add = [&](std::string name, const caf::actor& a) {
      if (a) {
        h.names.push_back(std::move(name));
        h.actors.push_back(a);
      }
    };
    add("normalizer", normalizer);
    for (size_t i = 0; i < validators.size(); ++i)
      add("validator." + std::to_string(i), validators[i]);
    add("router", router);
    add("cache", cache);
    add("broadcaster", broadcaster);
    add("alerter", alerter);
    add("cache_writer", cache_writer);
    add("storage_writer", storage_writer);
    return h;
  }
};

using supervisor_ptr = caf::stateful_actor<supervisor_state>*;

/// Instruments known before any event arrives: the configured ones.
std::vector<std::string> configured_instruments(const topology& topo) {
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

void spawn_provider(supervisor_ptr self, provider_slot& slot) {
  auto& st = self->state;
  auto helper = [](const std::map<std::string, caf::actor>& m, const std::string& k) {
    auto i = m.find(k);
    return i == m.end() ? caf::actor{} : i->second;
  };
  if (slot.stream >= 0) {
    auto& spec = st.streams[static_cast<size_t>(slot.stream)];
    auto& name = spec.settings.name;
    slot.actor = spawn_stream_provider(self->system(), st.topo, spec, st.normalizer,
                                       helper(st.stream_rest, name),
                                       helper(st.captures, name));
    // Backfills draw on the provider's budget when the scheduler has one for it.
    auto& enabled = st.topo.providers;
    if (st.scheduler && std::find(enabled.begin(), enabled.end(), name) != enabled.end())
      self->send(slot.actor, scheduler_atom::value, st.scheduler);
  } else if (slot.name == "replay") {
    slot.actor = spawn_replay_provider(self->system(), st.topo, st.normalizer);
  } else if (slot.name == "simulator") {
    slot.actor = spawn_simulator_provider(self->system(), st.topo, st.normalizer);
  } else {
    auto& cfg = st.topo.rest_providers.at(slot.name); // checked by load_topology
    slot.actor = spawn_rest_provider(self->system(), cfg, st.normalizer);
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
    st.providers.push_back(provider_slot{
      std::move(name), {}, 0,
      restart_backoff{sup.restart_backoff_min_ns, sup.restart_backoff_max_ns,
                      sup.restart_reset_after_ns},
      stream});
    spawn_provider(self, st.providers.back());
  };
  for (auto& feed : topo.streams.enabled_feeds()) {
    auto rest = topo.rest_providers.find(feed.name);
    if (feed.backfill && rest != topo.rest_providers.end() && !rest->second.base_url.empty())
      st.stream_rest[feed.name] = spawn_rest_provider(sys, rest->second, caf::actor{});
    if (!feed.capture_dir.empty())
      st.captures[feed.name] = spawn_capture_writer(sys, feed.capture_dir, feed.name);
  }
  st.streams = plan_stream_connections(topo);
  for (size_t i = 0; i < st.streams.size(); ++i)
    add("stream." + st.streams[i].connection, static_cast<int>(i));
  if (topo.streams.replay.enabled)
    add("replay", -1);
}

void build(supervisor_ptr self) {
  auto& st = self->state;
  auto& sys = self->system();
  auto& topo = st.topo;
  auto known = configured_instruments(topo);
  st.cache = spawn_cache(sys, topo, known);
  st.broadcaster = spawn_broadcaster(sys, topo, *st.ioc, known, st.cache);
  std::vector<caf::actor> sinks{st.cache, st.broadcaster};
  if (topo.redis.enabled) {
    st.cache_writer = spawn_cache_writer(sys, topo);
    sinks.push_back(st.cache_writer);
  }
  if (topo.storage.enabled) {
    st.storage_writer = spawn_storage_writer(sys, topo);
    sinks.push_back(st.storage_writer);
  }
  st.router = spawn_router(sys, topo, std::move(sinks));
  st.alerter = spawn_alerter(sys, topo);
  for (size_t i = 0; i < topo.validator.count; ++i) {
    std::vector<std::string> watched;
    for (auto& id : known)
      if (shard_of(id, topo.validator.count) == i)
        watched.push_back(id);
    st.validators.push_back(
      spawn_validator(sys, topo, i, st.router, st.alerter, std::move(watched)));
  }
  st.normalizer = spawn_normalizer(sys, topo, st.validators);
  st.gateway = spawn_gateway(sys, topo, *st.ioc, st.cache, st.validators);
  st.scheduler = spawn_scheduler(sys, topo);
  self->send(st.gateway, scheduler_atom::value, st.scheduler);
  self->send(st.gateway, st.gateway_view()); // reports, webhooks
  st.jobs = spawn_jobs(sys, topo);
  self->send(st.gateway, jobs_atom::value, st.jobs);
  self->send(st.jobs, internal_atom::value, st.gateway);
  if (topo.redis.enabled) { // the read path's Redis step
    st.redis_reader = spawn_redis_reader(sys, topo);
    self->send(st.gateway, redis_atom::value, st.redis_reader);
  }
  if (st.storage_writer) { // the read path's Postgres step; quarantine history
    self->send(st.gateway, writer_atom::value, st.storage_writer);
    for (auto& v : st.validators)
      self->send(v, writer_atom::value, st.storage_writer);
  }
  for (auto& a : st.stages())
    self->monitor(a);
  auto& sup = topo.supervisor;
  for (auto& name : topo.providers) {
    st.providers.push_back(provider_slot{
      name, {}, 0,
      restart_backoff{sup.restart_backoff_min_ns, sup.restart_backoff_max_ns,
                      sup.restart_reset_after_ns}});
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
  for (auto* helpers : {&st.stream_rest, &st.captures})
    for (auto& [name, a] : *helpers)
      self->send_exit(a, reason);
}

caf::behavior supervisor(supervisor_ptr self, topology topo,
                         boost::asio::io_context* ioc) {
  self->state.topo = std::move(topo);
  self->state.ioc = ioc;
  build(self);
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    if (st.stopping)
      return;
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
                           restart_atom::value, static_cast<uint64_t>(i));
        return;
      }
    }
    st.log->critical("pipeline stage stopped ({}): shutting down",
                     self->system().render(dm.reason));
    auto reason = dm.reason ? dm.reason : caf::make_error(caf::exit_reason::unknown);
    stop_all(self, reason);
    self->quit(reason);
  });
  self->set_exit_handler([=](caf::exit_msg& em) {
    stop_all(self, em.reason);
    self->quit(em.reason);
  });
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
      auto summary = "applied: " + fmt::format("{}", fmt::join(applied, ", "))
                     + "; every other change takes effect at the next restart";
      st.log->info("config reloaded ({})", summary);
      return summary;
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
    [=](restart_atom, uint64_t index) {
      auto& st = self->state;
      if (st.stopping || index >= st.providers.size())
        return;
      spawn_provider(self, st.providers[index]);
      publish_providers(self);
      st.log->info("provider {} restarted", st.providers[index].name);
    },
    [=](providers_atom) {
      std::vector<caf::actor> xs;
      for (auto& p : self->state.providers)
        if (p.actor)
          xs.push_back(p.actor);
      return xs;
    },
    [=](stats_atom) -> caf::result<std::vector<stage_stats>> {
      // Ask every stage, gather the answers in pipeline order.
      auto& st = self->state;
      std::vector<caf::actor> all;
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

caf::actor spawn_supervisor(caf::actor_system& sys, topology topo,
                            boost::asio::io_context& ioc) {
  return sys.spawn(supervisor, std::move(topo), &ioc);
}

} // namespace tickflow
