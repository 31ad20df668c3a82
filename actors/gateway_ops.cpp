// Operations: liveness, readiness, service facts, status, metrics, the
// OpenAPI document, the dashboard; and what [auth] and [webhooks] load at
// start.

#include <cstdlib>

#include "actors/gateway_state.hpp"
#include "api/memory_budget.hpp"
#include "api/routes/dashboard.hpp"
#include "api/routes/ops.hpp"

namespace tickflow {

// -- loading access -------------------------------------------------------------

namespace {

/// The value of environment variable `name`, or "" (unset, or no name).
std::string env_value(const std::string& name) {
  if (name.empty())
    return {};
  auto v = std::getenv(name.c_str());
  return v == nullptr ? std::string{} : std::string{v};
}

} // namespace

void load_access(gateway_ptr self) {
  auto& st = self->state;
  auto& access = st.topo.access;
  auto& guard = st.ops.access;
  guard.limiter = api::client_limiter{access.limits.max_clients};
  guard.admin_token = env_value(access.auth.admin_token_env);
  if (auto keys = api::read_key_file(access.auth.keys_file); !keys)
    st.ops.start_error = "[auth] keys-file " + keys.err().context;
  else
    guard.keys = std::move(*keys);
  auto& wh = access.webhooks;
  auto& gate = st.hooks.gate;
  if (wh.enabled) {
    gate.verifier.emplace(wh.timestamp_window_ns, wh.max_body_bytes);
    for (auto& [name, var] : wh.secret_envs)
      if (auto secret = env_value(var); !secret.empty())
        gate.secrets[name] = std::move(secret);
    for (auto& p : provider_table())
      if (p.webhook)
        if (auto parser = make_stream_protocol(p.id, {}))
          st.hooks.parsers[std::string{p.name}] = std::move(parser);
  }
  std::string hooks;
  for (auto& [name, secret] : gate.secrets)
    hooks += (hooks.empty() ? "" : ", ") + name;
  st.log->info("access: {} API key(s){}, admin routes {}, per-client limit {}, "
               "webhooks [{}]",
               guard.keys.size(),
               guard.keys.empty() ? (access.auth.allow_remote_without_keys
                                       ? " (API open to every client)"
                                       : " (API served to loopback clients only)")
                                  : "",
               guard.admin_token.empty() ? "off" : "on",
               access.limits.requests_per_second > 0
                 ? std::to_string(access.limits.requests_per_second) + "/s"
                 : std::string{"off"},
               hooks);
}

namespace {

// -- a snapshot of the pipeline ---------------------------------------------------

using snapshot_done = std::function<void(const api::ops_snapshot&)>;

/// Counts outstanding answers; calls done once the last one is in.
struct snapshot_job {
  api::ops_snapshot snap;
  size_t pending = 1; // the setup itself, released at its end
  snapshot_done done;

  void finish() {
    if (--pending == 0)
      done(snap);
  }
};

using job_ptr = std::shared_ptr<snapshot_job>;

template <class Reply, class Handle, class Store, class... Ts>
void ask(gateway_ptr self, const Handle& who, job_ptr job, Store store, Ts... xs) {
  if (!who)
    return;
  job->pending += 1;
  self->request(who, cache_timeout, xs...)
    .then(
      [job, store](const Reply& r) mutable {
        store(job->snap, r);
        job->finish();
      },
      [job](caf::error&) { job->finish(); });
}

/// Asks every stage, provider, writer and the cache; calls done with what
/// they said. `holders`: also the broadcaster's and the validators' counts
/// of instruments held (for /metrics only: /status and /ready are polled).
void take_snapshot(gateway_ptr self, snapshot_done done, bool holders = false) {
  auto& st = self->state;
  auto job = std::make_shared<snapshot_job>();
  job->done = std::move(done);
  auto& snap = job->snap;
  snap.gateway = st.stats;
  auto& sh = st.ops.stages;
  snap.stages.resize(sh.actors.size());
  for (size_t i = 0; i < sh.actors.size(); ++i) {
    snap.stages[i].first = sh.names[i];
    ask<stage_stats>(self, sh.actors[i], job,
                     [i](api::ops_snapshot& s, const stage_stats& r) { s.stages[i].second = r; },
                     stats_atom::value);
  }
  auto& ph = st.reads.providers;
  snap.providers.resize(ph.names.size());
  for (size_t i = 0; i < ph.names.size(); ++i) {
    auto& view = snap.providers[i];
    view.name = ph.names[i];
    auto& actor = ph.actors[i];
    view.up = static_cast<bool>(actor);
    if (!actor)
      continue;
    if (view.name == "simulator" || view.name == "replay") {
      ask<stage_stats>(self, actor, job,
                       [i](api::ops_snapshot& s, const stage_stats& r) { s.providers[i].stats = r; },
                       stats_atom::value);
      continue;
    }
    // REST providers answer provider_health, stream connections
    // stream_health: try the first, then the second.
    job->pending += 1;
    self->request(actor, cache_timeout, health_atom::value)
      .then(
        [job, i](const provider_health& h) {
          job->snap.providers[i].rest = h;
          job->finish();
        },
        [self, job, i, actor](caf::error&) {
          ask<stream_health>(self, actor, job,
                             [i](api::ops_snapshot& s, const stream_health& h) {
                               s.providers[i].stream = h;
                             },
                             health_atom::value);
          job->finish();
        });
  }
  ask<writer_stats>(self, sh.cache_writer, job,
                    [](api::ops_snapshot& s, const writer_stats& w) { s.redis = w; },
                    stats_atom::value, writer_atom::value);
  ask<writer_stats>(self, sh.storage_writer, job,
                    [](api::ops_snapshot& s, const writer_stats& w) { s.postgres = w; },
                    stats_atom::value, writer_atom::value);
  ask<cache_stats>(self, st.reads.cache, job,
                   [](api::ops_snapshot& s, const cache_stats& c) { s.cache = c; },
                   cache_stats_atom::value);
  if (!holders)
    return job->finish();
  ask<broadcaster_stats>(self, sh.broadcaster, job,
                         [](api::ops_snapshot& s, const broadcaster_stats& b) {
                           s.broadcaster = b;
                         },
                         ws_stats_atom::value);
  for (auto& v : st.reads.validators)
    ask<validator_quality>(self, v, job,
                           [](api::ops_snapshot& s, const validator_quality& q) {
                             s.validator_instruments += q.instruments;
                             s.validator_evicted += q.evicted;
                           },
                           quality_atom::value, std::string{});
  job->finish();
}

/// The gateway's own counters now.
api::gateway_facts facts(gateway_ptr self) {
  auto& st = self->state;
  api::gateway_facts g;
  g.started_ns = st.ops.started_ns;
  g.connections = st.server ? st.server->connections() : 0;
  {
    std::lock_guard<std::mutex> guard{st.ops.requests->mutex};
    g.requests = st.ops.requests->metrics.total();
  }
  g.rate_limited = st.ops.access.rate_limited;
  g.limited_clients = st.ops.access.limiter.tracked();
  g.webhooks = st.hooks.gate.counts;
  for (auto& [name, var] : st.topo.access.webhooks.secret_envs)
    g.webhook_routes.push_back(name);
  for (auto& [name, secret] : st.hooks.gate.secrets)
    g.webhook_secrets.push_back(name);
  g.prefetch = st.reads.prefetch;
  g.reference_instruments = st.reflists.lists.merged().size();
  g.reference_refreshed = st.reflists.refreshed;
  g.reference_failed = st.reflists.failures;
  g.reference_dropped = st.reflists.lists.dropped();
  g.reference_unresolved = st.reflists.lists.unresolved();
  g.unsent_bytes = st.server ? st.server->unsent_bytes() : 0;
  auto& budget = api::memory_budget::process();
  g.resident_bytes = budget.sample();
  g.memory_budget = budget.limit();
  g.memory_refusals = budget.refusals();
  return g;
}

// -- routes ---------------------------------------------------------------------------

void handle_health(gateway_ptr self, const http_call& call) {
  call.reply(api::health_answer(self->state.ops.started_ns, now_ns()));
}

void handle_live(gateway_ptr, const http_call& call) {
  call.reply(api::live_answer());
}

void handle_ready(gateway_ptr self, const http_call& call) {
  take_snapshot(self, [self, reply = call.reply](const api::ops_snapshot& s) {
    reply(api::ready_answer(s, self->state.topo));
  });
}

void handle_info(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto port = st.server ? st.server->port() : st.topo.gateway.port;
  call.reply(api::info_answer(st.topo, port, st.ops.started_ns, st.ops.access, st.hooks.gate));
}

void handle_status(gateway_ptr self, const http_call& call) {
  take_snapshot(self, [self, reply = call.reply, g = facts(self)](const api::ops_snapshot& s) {
    reply(api::status_answer(s, g, self->state.topo, now_ns()));
  });
}

void handle_metrics(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto m = std::make_shared<api::metric_families>();
  {
    auto g = facts(self);
    std::lock_guard<std::mutex> guard{st.ops.requests->mutex};
    api::gateway_metrics(*m, g, st.ops.requests->metrics, st.topo.gateway.max_connections,
                         now_ns());
  }
  take_snapshot(
    self,
    [reply = call.reply, m](const api::ops_snapshot& s) {
      api::snapshot_metrics(*m, s);
      reply(api::metrics_answer(*m));
    },
    true);
}

/// POST /api/v1/admin/reload (admin): reads the key file again; a bad
/// file keeps the keys in use.
void handle_reload(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto keys = api::read_key_file(st.topo.access.auth.keys_file);
  if (!keys) {
    st.log->warn("reload: [auth] keys-file kept as it was: {}", keys.err().context);
    return call.reply(api::reload_failed(keys.err().context));
  }
  st.ops.access.keys = std::move(*keys);
  st.log->info("reload: {} API key(s)", st.ops.access.keys.size());
  call.reply(api::reloaded(st.ops.access.keys.size()));
}

void handle_openapi(gateway_ptr, const http_call& call) {
  call.reply(api::openapi_answer());
}

void handle_index(gateway_ptr, const http_call& call) {
  call.reply(api::dashboard_index());
}

void handle_file(gateway_ptr self, const http_call& call) {
  call.reply(api::dashboard_file(call.path_param("file"), self->state.topo));
}

} // namespace

std::vector<route> ops_routes() {
  return {
    {"GET", "/health", handle_health, route_access::open},
    {"GET", "/live", handle_live, route_access::open},
    {"GET", "/ready", handle_ready, route_access::open},
    {"GET", "/info", handle_info, route_access::open},
    {"GET", "/status", handle_status, route_access::open},
    {"GET", "/metrics", handle_metrics, route_access::open},
    {"GET", "/openapi.json", handle_openapi, route_access::open},
    {"POST", "/api/v1/admin/reload", handle_reload, route_access::admin},
  };
}

std::vector<route> dashboard_routes() {
  return {
    {"GET", "/", handle_index, route_access::open},
    {"GET", "/dashboard", handle_index, route_access::open},
    {"GET", "/dashboard/", handle_index, route_access::open},
    {"GET", "/dashboard/{file}", handle_file, route_access::open},
  };
}

} // namespace tickflow
