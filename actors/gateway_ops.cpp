// Operations: liveness, readiness, service facts, status, metrics, the
// OpenAPI document; and what [auth] and [webhooks] load at start.

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "actors/gateway_state.hpp"
#include "api/event_json.hpp"
#include "api/metrics.hpp"
#include "api/openapi.hpp"
#include "pipeline/model/time.hpp"

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

/// Reads and parses the [auth] keys-file; empty set when none is configured.
result<api::api_key_set> read_keys(const std::string& path) {
  if (path.empty())
    return api::api_key_set{};
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return error{errc::config_invalid, path + ": cannot open the file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return error{errc::config_invalid, path + ": cannot read the file"};
  return api::api_key_set::parse(text.str(), path);
}

} // namespace

void load_access(gateway_ptr self) {
  auto& st = self->state;
  auto& access = st.topo.access;
  st.limiter = api::client_limiter{access.limits.max_clients};
  st.admin_token = env_value(access.auth.admin_token_env);
  if (auto keys = read_keys(access.auth.keys_file); !keys)
    st.start_error = "[auth] keys-file " + keys.err().context;
  else
    st.keys = std::move(*keys);
  auto& wh = access.webhooks;
  if (wh.enabled) {
    st.webhooks.emplace(wh.timestamp_window_ns, wh.max_body_bytes);
    for (auto& [name, var] : wh.secret_envs)
      if (auto secret = env_value(var); !secret.empty())
        st.webhook_secrets[name] = std::move(secret);
    for (auto& p : provider_table())
      if (p.webhook)
        if (auto parser = make_stream_protocol(p.id, {}))
          st.webhook_parsers[std::string{p.name}] = std::move(parser);
  }
  std::string hooks;
  for (auto& [name, secret] : st.webhook_secrets)
    hooks += (hooks.empty() ? "" : ", ") + name;
  st.log->info("access: {} API key(s){}, admin routes {}, per-client limit {}, "
               "webhooks [{}]",
               st.keys.size(),
               st.keys.empty() ? (access.auth.allow_remote_without_keys
                                    ? " (API open to every client)"
                                    : " (API served to loopback clients only)")
                               : "",
               st.admin_token.empty() ? "off" : "on",
               access.limits.requests_per_second > 0
                 ? std::to_string(access.limits.requests_per_second) + "/s"
                 : std::string{"off"},
               hooks);
}

namespace {

// -- a snapshot of the pipeline ---------------------------------------------------

/// One provider as the ops routes see it.
struct provider_view {
  std::string name;
  bool up = false; ///< its actor runs (not waiting for a restart)
  std::optional<stage_stats> stats;    ///< simulator
  std::optional<provider_health> rest; ///< REST providers
  std::optional<stream_health> stream; ///< live stream connections
};

/// What every stage said when asked (a stage that did not answer in time
/// has no value).
struct ops_snapshot {
  std::vector<std::pair<std::string, std::optional<stage_stats>>> stages;
  std::vector<provider_view> providers;
  std::optional<writer_stats> redis;    ///< when [redis] is enabled
  std::optional<writer_stats> postgres; ///< when [storage] is enabled
  std::optional<cache_stats> cache;
  stage_stats gateway;
};

using snapshot_done = std::function<void(const ops_snapshot&)>;

/// Counts outstanding answers; calls done once the last one is in.
struct snapshot_job {
  ops_snapshot snap;
  size_t pending = 1; // the setup itself, released at its end
  snapshot_done done;

  void finish() {
    if (--pending == 0)
      done(snap);
  }
};

template <class Reply, class Store, class... Ts>
void ask(gateway_ptr self, const caf::actor& who, std::shared_ptr<snapshot_job> job,
         Store store, Ts... xs) {
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
/// they said.
void take_snapshot(gateway_ptr self, snapshot_done done) {
  auto& st = self->state;
  auto job = std::make_shared<snapshot_job>();
  job->done = std::move(done);
  auto& snap = job->snap;
  snap.gateway = st.stats;
  auto& sh = st.stages;
  snap.stages.resize(sh.actors.size());
  for (size_t i = 0; i < sh.actors.size(); ++i) {
    snap.stages[i].first = sh.names[i];
    ask<stage_stats>(self, sh.actors[i], job,
                     [i](ops_snapshot& s, const stage_stats& r) { s.stages[i].second = r; },
                     stats_atom::value);
  }
  auto& ph = st.providers;
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
                       [i](ops_snapshot& s, const stage_stats& r) { s.providers[i].stats = r; },
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
          self->request(actor, cache_timeout, health_atom::value)
            .then(
              [job, i](const stream_health& h) {
                job->snap.providers[i].stream = h;
                job->finish();
              },
              [job](caf::error&) { job->finish(); });
        });
  }
  ask<writer_stats>(self, sh.cache_writer, job,
                    [](ops_snapshot& s, const writer_stats& w) { s.redis = w; },
                    stats_atom::value, writer_atom::value);
  ask<writer_stats>(self, sh.storage_writer, job,
                    [](ops_snapshot& s, const writer_stats& w) { s.postgres = w; },
                    stats_atom::value, writer_atom::value);
  ask<cache_stats>(self, st.cache, job,
                   [](ops_snapshot& s, const cache_stats& c) { s.cache = c; },
                   cache_stats_atom::value);
  job->finish();
}

// -- small JSON helpers -------------------------------------------------------------

std::string jstr(std::string_view s) {
  std::string out;
  api::append_json_string(out, s);
  return out;
}

std::string num(uint64_t v) {
  return std::to_string(v);
}

const char* boolean(bool b) {
  return b ? "true" : "false";
}

std::string time_or_null(int64_t ns) {
  return ns > 0 ? jstr(format_iso8601(ns)) : std::string{"null"};
}

std::string stage_json(const std::string& name, const std::optional<stage_stats>& s) {
  std::string out = "{\"name\":" + jstr(name) + ",\"up\":" + boolean(s.has_value());
  if (s)
    out += ",\"batches_in\":" + num(s->batches_in) + ",\"events_in\":" + num(s->events_in)
           + ",\"events_out\":" + num(s->events_out) + ",\"rejected\":" + num(s->rejected)
           + ",\"dropped\":" + num(s->dropped) + ",\"held\":" + num(s->held);
  return out + "}";
}

std::string writer_json(const char* name, bool enabled, const std::optional<writer_stats>& w) {
  std::string out = "{\"name\":" + jstr(name) + ",\"enabled\":" + boolean(enabled);
  if (!enabled)
    return out + "}";
  out += ",\"answering\":";
  out += boolean(w.has_value());
  if (w)
    out += ",\"connected\":" + std::string{boolean(w->connected)} + ",\"batches_in\":"
           + num(w->batches_in) + ",\"written\":" + num(w->written) + ",\"journaled\":"
           + num(w->journaled) + ",\"replayed\":" + num(w->replayed) + ",\"pending\":"
           + num(w->pending) + ",\"dropped\":" + num(w->dropped) + ",\"failures\":"
           + num(w->failures) + ",\"last_error\":"
           + (w->last_error.empty() ? std::string{"null"} : jstr(w->last_error));
  return out + "}";
}

std::string provider_json(const provider_view& p) {
  std::string out = "{\"name\":" + jstr(p.name) + ",\"up\":" + boolean(p.up);
  if (p.stats)
    out += ",\"events\":" + num(p.stats->events_out) + ",\"dropped\":" + num(p.stats->dropped);
  if (p.rest)
    out += ",\"requests\":" + num(p.rest->requests) + ",\"successes\":"
           + num(p.rest->successes) + ",\"failures\":" + num(p.rest->failures)
           + ",\"last_success\":" + time_or_null(p.rest->last_success_ns)
           + ",\"last_error\":"
           + (p.rest->last_error.empty() ? std::string{"null"} : jstr(p.rest->last_error));
  if (p.stream)
    out += ",\"connection\":" + jstr(p.stream->connection) + ",\"state\":"
           + jstr(p.stream->state) + ",\"events\":" + num(p.stream->events)
           + ",\"malformed\":" + num(p.stream->malformed) + ",\"reconnects\":"
           + num(p.stream->reconnects) + ",\"last_error\":"
           + (p.stream->last_error.empty() ? std::string{"null"}
                                           : jstr(p.stream->last_error));
  return out + "}";
}

// -- routes ---------------------------------------------------------------------------

void handle_health(gateway_ptr self, const http_call& call) {
  auto up = (now_ns() - self->state.started_ns) / 1'000'000'000;
  call.reply(json(200, R"({"status":"ok","service":"tickflow","version":")"
                         TICKFLOW_VERSION R"(","uptime_s":)"
                         + std::to_string(up) + "}"));
}

void handle_live(gateway_ptr, const http_call& call) {
  call.reply(json(200, R"({"status":"alive"})"));
}

/// Ready when every configured dependency is reachable: each provider's
/// actor runs, the cache answers (and, with the simulator, data reached it),
/// and the Redis / PostgreSQL writers are connected when enabled.
void handle_ready(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
  auto& topo = self->state.topo;
  bool simulated = self->state.enabled("simulator");
  bool redis_on = topo.redis.enabled;
  bool storage_on = topo.storage.enabled;
  take_snapshot(self, [=](const ops_snapshot& s) {
    std::vector<std::pair<std::string, std::string>> checks; // name -> "ok" or why not
    std::string down;
    for (auto& p : s.providers)
      if (!p.up)
        down += (down.empty() ? "" : ", ") + p.name;
    checks.emplace_back("providers", down.empty() ? "ok" : "restarting: " + down);
    const stage_stats* cache = nullptr;
    for (auto& [name, stats] : s.stages)
      if (name == "cache" && stats)
        cache = &*stats;
    if (!s.cache || cache == nullptr)
      checks.emplace_back("cache", "not answering");
    else if (simulated && cache->events_in == 0)
      checks.emplace_back("cache", "no data has reached the cache yet");
    else
      checks.emplace_back("cache", "ok");
    auto writer = [&](const char* name, bool on, const std::optional<writer_stats>& w) {
      if (!on)
        return;
      if (!w)
        checks.emplace_back(name, "not answering");
      else if (!w->connected)
        checks.emplace_back(name, "not connected" + (w->last_error.empty()
                                                       ? std::string{}
                                                       : ": " + w->last_error));
      else
        checks.emplace_back(name, "ok");
    };
    writer("redis", redis_on, s.redis);
    writer("postgres", storage_on, s.postgres);
    std::string failing;
    std::string body_checks = "{";
    for (auto& [name, state] : checks) {
      if (body_checks.size() > 1)
        body_checks += ',';
      body_checks += jstr(name) + ":" + jstr(state);
      if (state != "ok")
        failing += (failing.empty() ? "" : "; ") + name + ": " + state;
    }
    body_checks += "}";
    if (failing.empty())
      return reply(json(200, "{\"status\":\"ready\",\"checks\":" + body_checks + "}"));
    // The one error shape, with the checks beside it.
    auto r = fail(503, "not_ready", failing);
    r.body.pop_back();
    r.body += ",\"status\":\"not_ready\",\"checks\":" + body_checks + "}";
    reply(std::move(r));
  });
}

/// What kind of build this is.
std::string build_json() {
  std::string out = "{\"version\":" + jstr(TICKFLOW_VERSION);
#if defined(__clang__)
  out += ",\"compiler\":" + jstr(std::string{"clang "} + __clang_version__);
#elif defined(__GNUC__)
  out += ",\"compiler\":" + jstr(std::string{"gcc "} + __VERSION__);
#endif
  out += ",\"cxx_standard\":" + std::to_string(__cplusplus);
#ifdef NDEBUG
  out += ",\"assertions\":false";
#else
  out += ",\"assertions\":true";
#endif
#if defined(__SANITIZE_ADDRESS__)
  out += ",\"sanitizers\":true";
#else
  out += ",\"sanitizers\":false";
#endif
  return out + "}";
}

/// GET /info: version, build and a summary of the effective config (no
/// secrets: names of environment variables are not shown either).
void handle_info(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto& t = st.topo;
  std::string providers = "[";
  for (auto& p : t.providers)
    providers += (providers.size() > 1 ? "," : "") + jstr(p);
  providers += "]";
  std::string hooks = "{";
  for (auto& [name, var] : t.access.webhooks.secret_envs)
    hooks += (hooks.size() > 1 ? "," : "") + jstr(name) + ":"
             + boolean(st.webhook_secrets.count(name) > 0);
  hooks += "}";
  auto& a = t.access;
  std::string body =
    "{\"service\":\"tickflow\",\"version\":" + jstr(TICKFLOW_VERSION)
    + ",\"build\":" + build_json() + ",\"started_at\":" + time_or_null(st.started_ns)
    + ",\"config\":{\"providers\":" + providers
    + ",\"gateway\":{\"bind\":" + jstr(t.gateway.bind)
    + ",\"port\":" + std::to_string(st.server ? st.server->port() : t.gateway.port)
    + ",\"max_connections\":" + num(t.gateway.max_connections)
    + ",\"max_body_bytes\":" + num(t.gateway.max_body_bytes)
    + "},\"broadcaster\":{\"bind\":" + jstr(t.broadcaster.bind)
    + ",\"port\":" + std::to_string(t.broadcaster.port)
    + ",\"path\":" + jstr(t.broadcaster.path)
    + "},\"validators\":" + num(t.validator.count)
    + ",\"redis\":{\"enabled\":" + boolean(t.redis.enabled)
    + "},\"storage\":{\"enabled\":" + boolean(t.storage.enabled)
    + "},\"auth\":{\"api_keys\":" + num(st.keys.size())
    + ",\"admin\":" + boolean(!st.admin_token.empty())
    + ",\"allow_remote_without_keys\":" + boolean(a.auth.allow_remote_without_keys)
    + "},\"limits\":{\"requests_per_second\":"
    + api::format_metric_value(a.limits.requests_per_second)
    + ",\"burst\":" + num(a.limits.burst)
    + ",\"max_batch_items\":" + num(a.limits.max_batch_items)
    + "},\"webhooks\":{\"enabled\":" + boolean(a.webhooks.enabled)
    + ",\"configured\":" + hooks
    + ",\"max_body_bytes\":" + num(a.webhooks.max_body_bytes)
    + ",\"timestamp_window_s\":" + std::to_string(a.webhooks.timestamp_window_ns / ns_per_s)
    + "}}}";
  call.reply(json(200, std::move(body)));
}

/// GET /status: every stage's counters, the providers' health, the writers
/// and the gateway's own counts.
void handle_status(gateway_ptr self, const http_call& call) {
  auto reply = call.reply;
  auto started = self->state.started_ns;
  auto redis_on = self->state.topo.redis.enabled;
  auto storage_on = self->state.topo.storage.enabled;
  auto connections = self->state.server ? self->state.server->connections() : 0;
  uint64_t requests = 0;
  {
    std::lock_guard<std::mutex> guard{self->state.requests->mutex};
    requests = self->state.requests->metrics.total();
  }
  auto rate_limited = self->state.rate_limited;
  auto webhooks = self->state.webhook_results;
  auto prefetch = std::array<uint64_t, 3>{self->state.prefetch_queued,
                                          self->state.prefetch_done,
                                          self->state.prefetch_failed};
  take_snapshot(self, [=](const ops_snapshot& s) {
    std::string body = "{\"service\":\"tickflow\",\"version\":" + jstr(TICKFLOW_VERSION)
                       + ",\"uptime_s\":" + std::to_string((now_ns() - started) / ns_per_s)
                       + ",\"stages\":[";
    for (size_t i = 0; i < s.stages.size(); ++i)
      body += (i > 0 ? "," : "") + stage_json(s.stages[i].first, s.stages[i].second);
    body += "],\"providers\":[";
    for (size_t i = 0; i < s.providers.size(); ++i)
      body += (i > 0 ? "," : "") + provider_json(s.providers[i]);
    body += "],\"writers\":[" + writer_json("redis", redis_on, s.redis) + ","
            + writer_json("postgres", storage_on, s.postgres) + "]";
    body += ",\"gateway\":{\"connections\":" + num(connections) + ",\"requests\":"
            + num(requests) + ",\"rate_limited\":" + num(rate_limited)
            + ",\"prefetch\":{\"queued\":" + num(prefetch[0]) + ",\"done\":"
            + num(prefetch[1]) + ",\"failed\":" + num(prefetch[2]) + "},\"webhooks\":[";
    bool first = true;
    for (auto& [key, n] : webhooks) {
      body += (first ? "" : ",") + std::string{"{\"provider\":"} + jstr(key.first)
              + ",\"result\":" + jstr(key.second) + ",\"count\":" + num(n) + "}";
      first = false;
    }
    body += "]}}";
    reply(json(200, std::move(body)));
  });
}

/// GET /metrics: Prometheus text.
void handle_metrics(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto reply = call.reply;
  auto families = std::make_shared<api::metric_families>();
  auto& m = *families;
  m.gauge("tickflow_build_info", "The running version (value always 1)",
          {{"version", TICKFLOW_VERSION}}, 1);
  m.gauge("tickflow_uptime_seconds", "Seconds since the gateway started", {},
          static_cast<double>((now_ns() - st.started_ns) / ns_per_s));
  {
    std::lock_guard<std::mutex> guard{st.requests->mutex};
    st.requests->metrics.collect(m);
  }
  m.gauge("tickflow_http_connections", "Open REST connections", {},
          static_cast<double>(st.server ? st.server->connections() : 0));
  m.gauge("tickflow_http_max_connections", "REST connections accepted at once", {},
          static_cast<double>(st.topo.gateway.max_connections));
  m.counter("tickflow_http_rate_limited_total",
            "REST requests refused by the per-client limit (429)", {},
            static_cast<double>(st.rate_limited));
  m.gauge("tickflow_http_limited_clients", "Clients the request limiter tracks", {},
          static_cast<double>(st.limiter.tracked()));
  for (auto& [name, var] : st.topo.access.webhooks.secret_envs) {
    bool any = false;
    for (auto& [key, n] : st.webhook_results)
      if (key.first == name) {
        any = true;
        m.counter("tickflow_webhook_requests_total", "Webhook requests by outcome",
                  {{"provider", name}, {"result", key.second}}, static_cast<double>(n));
      }
    if (!any && st.webhook_secrets.count(name) > 0)
      m.counter("tickflow_webhook_requests_total", "Webhook requests by outcome",
                {{"provider", name}, {"result", "accepted"}}, 0);
  }
  for (auto& [name, n] : st.webhook_events)
    m.counter("tickflow_webhook_events_total", "Events accepted from webhooks",
              {{"provider", name}}, static_cast<double>(n));
  m.counter("tickflow_prefetch_total", "Prefetches by outcome", {{"result", "queued"}},
            static_cast<double>(st.prefetch_queued));
  m.counter("tickflow_prefetch_total", "Prefetches by outcome", {{"result", "done"}},
            static_cast<double>(st.prefetch_done));
  m.counter("tickflow_prefetch_total", "Prefetches by outcome", {{"result", "failed"}},
            static_cast<double>(st.prefetch_failed));
  take_snapshot(self, [reply, families](const ops_snapshot& s) {
    auto& m = *families;
    auto d = [](uint64_t v) { return static_cast<double>(v); };
    auto stage = [&](const std::string& name, const stage_stats& x) {
      m.counter("tickflow_stage_batches_total", "Batches a pipeline stage received",
                {{"stage", name}}, d(x.batches_in));
      m.counter("tickflow_stage_events_total", "Events into and out of a pipeline stage",
                {{"stage", name}, {"direction", "in"}}, d(x.events_in));
      m.counter("tickflow_stage_events_total", "Events into and out of a pipeline stage",
                {{"stage", name}, {"direction", "out"}}, d(x.events_out));
      m.counter("tickflow_stage_rejected_total", "Events a stage rejected as bad data",
                {{"stage", name}}, d(x.rejected));
      m.counter("tickflow_stage_dropped_total", "Events or batches a stage dropped (overflow)",
                {{"stage", name}}, d(x.dropped));
      m.gauge("tickflow_stage_queue_depth",
              "Upstream batches a stage holds back while its downstream is full",
              {{"stage", name}}, d(x.held));
    };
    m.gauge("tickflow_stage_up", "1 when the stage answered the scrape", {{"stage", "gateway"}}, 1);
    for (auto& [name, x] : s.stages)
      m.gauge("tickflow_stage_up", "1 when the stage answered the scrape", {{"stage", name}},
              x ? 1 : 0);
    stage("gateway", s.gateway);
    for (auto& [name, x] : s.stages)
      if (x)
        stage(name, *x);
    for (auto& p : s.providers) {
      m.gauge("tickflow_provider_up", "1 while the provider's actor runs",
              {{"provider", p.name}}, p.up ? 1 : 0);
      if (p.stats) {
        m.counter("tickflow_provider_events_total", "Events a provider delivered",
                  {{"provider", p.name}}, d(p.stats->events_out));
        m.counter("tickflow_provider_errors_total",
                  "Provider failures: failed requests, malformed frames, drops",
                  {{"provider", p.name}}, d(p.stats->dropped));
      }
      if (p.rest) {
        m.counter("tickflow_provider_requests_total", "Requests sent to a REST provider",
                  {{"provider", p.name}}, d(p.rest->requests));
        m.counter("tickflow_provider_errors_total",
                  "Provider failures: failed requests, malformed frames, drops",
                  {{"provider", p.name}}, d(p.rest->failures));
      }
      if (p.stream) {
        m.counter("tickflow_provider_events_total", "Events a provider delivered",
                  {{"provider", p.name}}, d(p.stream->events));
        m.counter("tickflow_provider_errors_total",
                  "Provider failures: failed requests, malformed frames, drops",
                  {{"provider", p.name}}, d(p.stream->malformed + p.stream->dropped));
      }
    }
    if (s.cache) {
      auto& c = *s.cache;
      auto kind = [&](const char* k, uint64_t hits, uint64_t misses) {
        m.counter("tickflow_cache_requests_total", "Lookups in the in-process cache (L1)",
                  {{"kind", k}, {"result", "hit"}}, d(hits));
        m.counter("tickflow_cache_requests_total", "Lookups in the in-process cache (L1)",
                  {{"kind", k}, {"result", "miss"}}, d(misses));
        auto all = hits + misses;
        m.gauge("tickflow_cache_hit_ratio", "Hits over lookups in the L1 cache (0 before any)",
                {{"kind", k}}, all == 0 ? 0 : d(hits) / d(all));
      };
      kind("price", c.price_hits, c.price_misses);
      kind("bars", c.bars_hits, c.bars_misses);
      m.gauge("tickflow_cache_instruments", "Instruments the L1 cache knows", {},
              d(c.instruments));
      m.gauge("tickflow_cache_bars", "Bars the L1 cache holds", {}, d(c.bars));
      m.counter("tickflow_cache_bars_evicted_total", "Bars pushed out of full series", {},
                d(c.bars_evicted));
    }
    auto writer = [&](const char* name, const std::optional<writer_stats>& w) {
      if (!w)
        return;
      m.gauge("tickflow_writer_connected", "1 when the writer's server answered last",
              {{"writer", name}}, w->connected ? 1 : 0);
      m.gauge("tickflow_writer_queue_depth", "Journaled batches not yet in the server",
              {{"writer", name}}, d(w->pending));
      m.counter("tickflow_writer_batches_total", "Batches a writer handled, by outcome",
                {{"writer", name}, {"result", "written"}}, d(w->written));
      m.counter("tickflow_writer_batches_total", "Batches a writer handled, by outcome",
                {{"writer", name}, {"result", "journaled"}}, d(w->journaled));
      m.counter("tickflow_writer_batches_total", "Batches a writer handled, by outcome",
                {{"writer", name}, {"result", "dropped"}}, d(w->dropped));
      m.counter("tickflow_writer_failures_total", "Failed writes and connects",
                {{"writer", name}}, d(w->failures));
    };
    writer("redis", s.redis);
    writer("postgres", s.postgres);
    api::http_response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = m.render();
    reply(std::move(r));
  });
}

/// POST /api/v1/admin/reload (admin): reads the key file again; a bad
/// file keeps the keys in use.
void handle_reload(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto keys = read_keys(st.topo.access.auth.keys_file);
  if (!keys) {
    st.log->warn("reload: [auth] keys-file kept as it was: {}", keys.err().context);
    return call.reply(fail(500, "reload_failed", keys.err().context));
  }
  st.keys = std::move(*keys);
  st.log->info("reload: {} API key(s)", st.keys.size());
  call.reply(json(200, "{\"reloaded\":[\"api_keys\"],\"api_keys\":" + num(st.keys.size())
                         + "}"));
}

void handle_openapi(gateway_ptr, const http_call& call) {
  call.reply(json(200, std::string{api::openapi_document()}));
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

} // namespace tickflow
