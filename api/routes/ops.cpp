#include "api/routes/ops.hpp"

#include <mutex>

#include "api/event_json.hpp"
#include "api/openapi.hpp"
#include "api/routes/common.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

namespace {

// -- small JSON helpers -------------------------------------------------------------

std::string jstr(std::string_view s) {
  std::string out;
  append_json_string(out, s);
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

} // namespace

http_response health_answer(int64_t started_ns, int64_t now_ns) {
  auto up = (now_ns - started_ns) / 1'000'000'000;
  return json(200, R"({"status":"ok","service":"tickflow","version":")"
                     TICKFLOW_VERSION R"(","uptime_s":)"
                     + std::to_string(up) + "}");
}

http_response live_answer() {
  return json(200, R"({"status":"alive"})");
}

http_response ready_answer(const ops_snapshot& s, const topology& topo) {
  bool simulated = std::find(topo.providers.begin(), topo.providers.end(), "simulator")
                   != topo.providers.end();
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
  writer("redis", topo.redis.enabled, s.redis);
  writer("postgres", topo.storage.enabled, s.postgres);
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
    return json(200, "{\"status\":\"ready\",\"checks\":" + body_checks + "}");
  // The one error shape, with the checks beside it.
  auto r = fail(503, "not_ready", failing);
  r.body.pop_back();
  r.body += ",\"status\":\"not_ready\",\"checks\":" + body_checks + "}";
  return r;
}

http_response info_answer(const topology& t, uint16_t port, int64_t started_ns,
                          const access_guard& access, const webhook_gate& webhooks) {
  std::string providers = "[";
  for (auto& p : t.providers)
    providers += (providers.size() > 1 ? "," : "") + jstr(p);
  providers += "]";
  std::string hooks = "{";
  for (auto& [name, var] : t.access.webhooks.secret_envs)
    hooks += (hooks.size() > 1 ? "," : "") + jstr(name) + ":"
             + boolean(webhooks.secrets.count(name) > 0);
  hooks += "}";
  auto& a = t.access;
  std::string body =
    "{\"service\":\"tickflow\",\"version\":" + jstr(TICKFLOW_VERSION)
    + ",\"build\":" + build_json() + ",\"started_at\":" + time_or_null(started_ns)
    + ",\"config\":{\"providers\":" + providers
    + ",\"gateway\":{\"bind\":" + jstr(t.gateway.bind)
    + ",\"port\":" + std::to_string(port)
    + ",\"max_connections\":" + num(t.gateway.max_connections)
    + ",\"max_body_bytes\":" + num(t.gateway.max_body_bytes)
    + "},\"broadcaster\":{\"bind\":" + jstr(t.broadcaster.bind)
    + ",\"port\":" + std::to_string(t.broadcaster.port)
    + ",\"path\":" + jstr(t.broadcaster.path)
    + "},\"validators\":" + num(t.validator.count)
    + ",\"redis\":{\"enabled\":" + boolean(t.redis.enabled)
    + "},\"storage\":{\"enabled\":" + boolean(t.storage.enabled)
    + "},\"auth\":{\"api_keys\":" + num(access.keys.size())
    + ",\"admin\":" + boolean(!access.admin_token.empty())
    + ",\"allow_remote_without_keys\":" + boolean(a.auth.allow_remote_without_keys)
    + "},\"limits\":{\"requests_per_second\":"
    + format_metric_value(a.limits.requests_per_second)
    + ",\"burst\":" + num(a.limits.burst)
    + ",\"max_batch_items\":" + num(a.limits.max_batch_items)
    + "},\"webhooks\":{\"enabled\":" + boolean(a.webhooks.enabled)
    + ",\"configured\":" + hooks
    + ",\"max_body_bytes\":" + num(a.webhooks.max_body_bytes)
    + ",\"timestamp_window_s\":" + std::to_string(a.webhooks.timestamp_window_ns / ns_per_s)
    + "}}}";
  return json(200, std::move(body));
}

http_response status_answer(const ops_snapshot& s, const gateway_facts& g,
                            const topology& topo, int64_t now_ns) {
  std::string body = "{\"service\":\"tickflow\",\"version\":" + jstr(TICKFLOW_VERSION)
                     + ",\"uptime_s\":" + std::to_string((now_ns - g.started_ns) / ns_per_s)
                     + ",\"stages\":[";
  for (size_t i = 0; i < s.stages.size(); ++i)
    body += (i > 0 ? "," : "") + stage_json(s.stages[i].first, s.stages[i].second);
  body += "],\"providers\":[";
  for (size_t i = 0; i < s.providers.size(); ++i)
    body += (i > 0 ? "," : "") + provider_json(s.providers[i]);
  body += "],\"writers\":[" + writer_json("redis", topo.redis.enabled, s.redis) + ","
          + writer_json("postgres", topo.storage.enabled, s.postgres) + "]";
  body += ",\"gateway\":{\"connections\":" + num(g.connections) + ",\"requests\":"
          + num(g.requests) + ",\"rate_limited\":" + num(g.rate_limited)
          + ",\"prefetch\":{\"queued\":" + num(g.prefetch.queued) + ",\"done\":"
          + num(g.prefetch.done) + ",\"failed\":" + num(g.prefetch.failed)
          + "},\"webhooks\":[";
  bool first = true;
  for (auto& [key, n] : g.webhooks.results) {
    body += (first ? "" : ",") + std::string{"{\"provider\":"} + jstr(key.first)
            + ",\"result\":" + jstr(key.second) + ",\"count\":" + num(n) + "}";
    first = false;
  }
  body += "]}}";
  return json(200, std::move(body));
}

void gateway_metrics(metric_families& m, const gateway_facts& g,
                     const request_metrics& requests, uint64_t max_connections,
                     int64_t now_ns) {
  m.gauge("tickflow_build_info", "The running version (value always 1)",
          {{"version", TICKFLOW_VERSION}}, 1);
  m.gauge("tickflow_uptime_seconds", "Seconds since the gateway started", {},
          static_cast<double>((now_ns - g.started_ns) / ns_per_s));
  requests.collect(m);
  m.gauge("tickflow_http_connections", "Open REST connections", {},
          static_cast<double>(g.connections));
  m.gauge("tickflow_http_max_connections", "REST connections accepted at once", {},
          static_cast<double>(max_connections));
  m.counter("tickflow_http_rate_limited_total",
            "REST requests refused by the per-client limit (429)", {},
            static_cast<double>(g.rate_limited));
  m.gauge("tickflow_http_limited_clients", "Clients the request limiter tracks", {},
          static_cast<double>(g.limited_clients));
  m.gauge("tickflow_http_unsent_bytes", "Answers held unsent by all REST connections", {},
          static_cast<double>(g.unsent_bytes));
  m.gauge("tickflow_memory_resident_bytes", "Resident memory of the process (RSS)", {},
          static_cast<double>(g.resident_bytes));
  m.gauge("tickflow_memory_budget_bytes", "[gateway] max-memory (0: no budget)", {},
          static_cast<double>(g.memory_budget));
  m.counter("tickflow_memory_refusals_total",
            "Requests and WebSocket upgrades refused (503) over the memory budget", {},
            static_cast<double>(g.memory_refusals));
  for (auto& name : g.webhook_routes) {
    bool any = false;
    for (auto& [key, n] : g.webhooks.results)
      if (key.first == name) {
        any = true;
        m.counter("tickflow_webhook_requests_total", "Webhook requests by outcome",
                  {{"provider", name}, {"result", key.second}}, static_cast<double>(n));
      }
    bool secret = std::find(g.webhook_secrets.begin(), g.webhook_secrets.end(), name)
                  != g.webhook_secrets.end();
    if (!any && secret)
      m.counter("tickflow_webhook_requests_total", "Webhook requests by outcome",
                {{"provider", name}, {"result", "accepted"}}, 0);
  }
  for (auto& [name, n] : g.webhooks.events)
    m.counter("tickflow_webhook_events_total", "Events accepted from webhooks",
              {{"provider", name}}, static_cast<double>(n));
  m.counter("tickflow_prefetch_total", "Prefetches by outcome", {{"result", "queued"}},
            static_cast<double>(g.prefetch.queued));
  m.counter("tickflow_prefetch_total", "Prefetches by outcome", {{"result", "done"}},
            static_cast<double>(g.prefetch.done));
  m.counter("tickflow_prefetch_total", "Prefetches by outcome", {{"result", "failed"}},
            static_cast<double>(g.prefetch.failed));
  m.gauge("tickflow_reference_instruments",
          "Instruments the providers' reference lists name", {},
          static_cast<double>(g.reference_instruments));
  m.counter("tickflow_reference_lists_total", "Reference-list fetches by outcome",
            {{"result", "refreshed"}}, static_cast<double>(g.reference_refreshed));
  m.counter("tickflow_reference_lists_total", "Reference-list fetches by outcome",
            {{"result", "failed"}}, static_cast<double>(g.reference_failed));
  m.counter("tickflow_reference_rows_dropped_total", "Reference-list rows not kept",
            {{"reason", "bound"}}, static_cast<double>(g.reference_dropped));
  m.counter("tickflow_reference_rows_dropped_total", "Reference-list rows not kept",
            {{"reason", "unresolved"}}, static_cast<double>(g.reference_unresolved));
}

void snapshot_metrics(metric_families& m, const ops_snapshot& s) {
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
  auto held = [&](const char* holder, uint64_t now, uint64_t evicted) {
    m.gauge("tickflow_instruments", "Instruments with state, by holder",
            {{"holder", holder}}, d(now));
    m.counter("tickflow_instruments_evicted_total",
              "Instruments forgotten to stay within their max-instruments, by holder",
              {{"holder", holder}}, d(evicted));
  };
  held("validator", s.validator_instruments, s.validator_evicted);
  if (s.broadcaster) {
    auto& b = *s.broadcaster;
    held("broadcaster", b.instruments, b.instruments_evicted);
    m.gauge("tickflow_ws_clients", "Connected WebSocket clients", {}, d(b.clients));
    m.gauge("tickflow_ws_clients_behind", "WebSocket clients being conflated now", {},
            d(b.behind));
    m.gauge("tickflow_ws_backlog_bytes", "All WebSocket clients' unsent backlogs", {},
            d(b.backlog_bytes));
    m.counter("tickflow_ws_frames_total", "Frames handed to the WebSocket server", {},
              d(b.frames_sent));
    m.counter("tickflow_ws_conflated_total", "Updates dropped by conflation", {},
              d(b.conflated));
    m.counter("tickflow_ws_closed_total", "WebSocket clients closed by the server, by reason",
              {{"reason", "slow"}}, d(b.closed_slow));
    m.counter("tickflow_ws_closed_total", "WebSocket clients closed by the server, by reason",
              {{"reason", "overload"}}, d(b.closed_overload));
    m.counter("tickflow_ws_closed_total", "WebSocket clients closed by the server, by reason",
              {{"reason", "idle"}}, d(b.closed_idle));
  }
}

http_response metrics_answer(const metric_families& m) {
  http_response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = m.render();
  return r;
}

http_response reloaded(size_t api_keys) {
  return json(200, "{\"reloaded\":[\"api_keys\"],\"api_keys\":" + num(api_keys) + "}");
}

http_response reload_failed(const std::string& why) {
  return fail(500, "reload_failed", why);
}

http_response openapi_answer() {
  return json(200, std::string{openapi_document()});
}

} // namespace tickflow::api
