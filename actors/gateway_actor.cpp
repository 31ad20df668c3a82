#include "actors/gateway_actor.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

#include <boost/asio/post.hpp>

#include "actors/gateway_state.hpp"
#include "actors/jobs_actor.hpp"
#include "adapters/registry.hpp"
#include "api/access_policy.hpp"

namespace tickflow {

// -- gateway_state and shared responses -----------------------------------------

gateway_state::~gateway_state() {
  if (server && ioc)
    boost::asio::post(*ioc, [srv = server] { srv->stop(); });
}

bool gateway_state::enabled(const std::string& provider) const {
  return std::find(topo.providers.begin(), topo.providers.end(), provider)
         != topo.providers.end();
}

std::vector<std::pair<std::string, caf::actor>>
gateway_state::rest_chain(const std::string& only) const {
  std::vector<std::pair<std::string, caf::actor>> xs;
  for (size_t i = 0; i < providers.names.size(); ++i) {
    auto& n = providers.names[i];
    if (n == "simulator" || !providers.actors[i] || (!only.empty() && n != only))
      continue;
    xs.emplace_back(n, providers.actors[i]);
  }
  return xs;
}

api::http_response json(unsigned status, std::string body) {
  api::http_response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

api::http_response fail(unsigned status, std::string code, std::string message,
                        std::string field) {
  return api::error_response(
    api::api_error{status, std::move(code), std::move(message), std::move(field)});
}

api::http_response not_found(lookup_status status, const std::string& instrument) {
  if (status == lookup_status::unknown)
    return fail(404, "unknown_symbol", "unknown symbol " + instrument, "symbol");
  return fail(404, "no_data", "no data yet for " + instrument, "symbol");
}

/// Every route of every area.
const std::vector<route>& all_gateway_routes() {
  static const std::vector<route> xs = [] {
    std::vector<route> out;
    for (auto part : {ops_routes(), data_routes(), batch_routes(), report_routes(),
                      cache_routes(), webhook_routes(), dashboard_routes(),
                      jobs_routes(), technical_routes(), reference_routes()})
      out.insert(out.end(), part.begin(), part.end());
    return out;
  }();
  return xs;
}

namespace {

// -- dispatch -------------------------------------------------------------------

/// Matches `path` against a pattern whose {name} segments take one segment.
bool match(const std::string& pattern, const std::string& path,
           std::vector<std::pair<std::string, std::string>>& params) {
  params.clear();
  size_t i = 0, j = 0;
  while (i < pattern.size() && j < path.size()) {
    if (pattern[i] == '{') {
      auto close = pattern.find('}', i);
      auto end = path.find('/', j);
      if (end == std::string::npos)
        end = path.size();
      if (end == j)
        return false;
      params.emplace_back(pattern.substr(i + 1, close - i - 1), path.substr(j, end - j));
      i = close + 1;
      j = end;
      continue;
    }
    if (pattern[i] != path[j])
      return false;
    ++i;
    ++j;
  }
  return i == pattern.size() && j == path.size();
}

api::access_level level_of(route_access a) noexcept {
  switch (a) {
    case route_access::open:
      return api::access_level::open;
    case route_access::admin:
      return api::access_level::admin;
    case route_access::api:
      break;
  }
  return api::access_level::api;
}

/// The method as a metrics label (unknown methods share one label).
std::string method_label(const std::string& m) {
  for (auto known : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    if (m == known)
      return m;
  return "other";
}

/// Wraps `reply` so the answer is counted under `route` with its latency.
api::responder measured(gateway_ptr self, api::responder reply,
                        std::string method, std::string route) {
  auto log = self->state.requests;
  auto started = std::chrono::steady_clock::now();
  auto once = std::make_shared<std::atomic<bool>>(false);
  return [log, reply = std::move(reply), method = std::move(method),
          route = std::move(route), started, once](api::http_response res) {
    if (!once->exchange(true)) {
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      std::lock_guard<std::mutex> guard{log->mutex};
      log->metrics.record(method, route, res.status, took.count());
    }
    reply(std::move(res));
  };
}

/// Routes whose callers the per-client limits apply to.
bool is_limited(const std::string& path) {
  return path.rfind("/api/", 0) == 0 || path.rfind("/webhooks/", 0) == 0;
}

/// The request rate of a client: its key's own, else [limits].
api::client_rate rate_for(const gateway_state& st, const api::api_key_entry* key) {
  auto& lim = st.topo.access.limits;
  api::client_rate rate{lim.requests_per_second, lim.burst};
  if (key != nullptr && key->requests_per_second)
    rate.requests_per_second = *key->requests_per_second;
  if (key != nullptr && key->burst)
    rate.burst = *key->burst;
  return rate;
}

/// Checks the client's limit, then access; answers and returns false when
/// the request may not go on. A refused caller counts against its address,
/// so guessing keys runs into the limit like any other traffic.
bool admit(gateway_ptr self, const route& r, const http_call& call) {
  auto& st = self->state;
  api::access_rules rules{&st.keys, st.admin_token,
                          st.topo.access.auth.allow_remote_without_keys};
  auto d = api::decide_access(level_of(r.access), call.request, rules);
  if (is_limited(call.request.path)) {
    auto verdict = st.limiter.acquire(d.client, rate_for(st, d.key), now_ns());
    if (!verdict.allowed) {
      st.rate_limited += 1;
      auto secs = api::retry_after_seconds(verdict.retry_after_ns);
      auto res = fail(429, "rate_limited",
                      "too many requests: retry in " + std::to_string(secs) + " s");
      res.headers.emplace_back("Retry-After", std::to_string(secs));
      call.reply(std::move(res));
      return false;
    }
  }
  if (d.allowed)
    return true;
  auto res = api::error_response(d.refusal);
  if (d.refusal.status == 401)
    res.headers.emplace_back("WWW-Authenticate", "Bearer");
  call.reply(std::move(res));
  return false;
}

void dispatch(gateway_ptr self, http_call call) {
  auto& req = call.request;
  std::string allowed;
  auto method = req.method == "HEAD" ? std::string{"GET"} : req.method;
  const route* pattern_match = nullptr;
  for (auto& r : all_gateway_routes()) {
    if (!match(r.pattern, req.path, call.path_params))
      continue;
    if (r.method == method) {
      call.reply = measured(self, std::move(call.reply), method_label(req.method),
                            r.pattern);
      if (admit(self, r, call))
        r.handle(self, call);
      return;
    }
    pattern_match = &r;
    if (allowed.find(r.method) == std::string::npos)
      allowed += (allowed.empty() ? "" : ", ") + r.method + (r.method == "GET" ? ", HEAD" : "");
  }
  call.reply = measured(self, std::move(call.reply), method_label(req.method),
                        pattern_match ? pattern_match->pattern : "unmatched");
  if (allowed.empty())
    return call.reply(fail(404, "not_found", "no route " + req.path));
  auto r = fail(405, "method_not_allowed", req.method + " is not allowed on " + req.path);
  r.headers.emplace_back("Allow", allowed);
  call.reply(std::move(r));
}

caf::behavior gateway(caf::stateful_actor<gateway_state>* self, topology topo,
                      boost::asio::io_context* ioc, caf::actor cache,
                      std::vector<caf::actor> validators) {
  auto& st = self->state;
  st.validators = std::move(validators);
  st.ioc = ioc;
  st.cache = std::move(cache);
  for (auto p : rest_providers())
    if (auto a = make_rest_adapter(p, {}))
      st.catalog.push_back(std::move(a));
  int64_t slowest = 0;
  for (auto& [name, rp] : topo.rest_providers)
    slowest = std::max(slowest, rp.timeout_ns);
  st.fetch_timeout = std::chrono::nanoseconds{slowest + 2'000'000'000};
  caf::actor_addr me = self->address();
  api::http_server_options opts;
  opts.max_connections = topo.gateway.max_connections;
  opts.request_timeout_ns = topo.gateway.request_timeout_ns;
  opts.idle_timeout_ns = topo.gateway.idle_timeout_ns;
  opts.max_header_bytes = topo.gateway.max_header_bytes;
  opts.max_body_bytes = topo.gateway.max_body_bytes;
  opts.max_read_buffer_bytes = topo.gateway.max_read_buffer_bytes;
  opts.max_response_bytes = topo.gateway.max_response_bytes;
  opts.max_unsent_bytes = topo.gateway.max_unsent_bytes;
  st.server = std::make_shared<api::http_server>(
    *ioc, opts, [me](api::http_request req, api::responder reply) {
      if (auto a = caf::actor_cast<caf::actor>(me))
        caf::anon_send(a, http_call{std::move(req), std::move(reply), {}, priority::urgent});
      // else: the responder is dropped and the server answers 500
    });
  st.topo = std::move(topo);
  load_access(self);
  return {
    [=](start_atom) -> caf::result<uint16_t> {
      auto& st = self->state;
      if (!st.start_error.empty())
        return caf::make_error(caf::sec::runtime_error, st.start_error);
      auto& gw = st.topo.gateway;
      auto r = st.server->listen(gw.bind, gw.port);
      if (!r)
        return caf::make_error(caf::sec::runtime_error, r.err().context);
      st.log->info("REST gateway on http://{}:{}", gw.bind, st.server->port());
      return st.server->port();
    },
    [=](provider_handles& h) { self->state.providers = std::move(h); },
    [=](reload_atom, const topology& next) {
      // SIGHUP changed [providers]: which ones may be asked, and their sections.
      auto& st = self->state;
      st.topo.providers = next.providers;
      st.topo.rest_providers = next.rest_providers;
    },
    [=](reload_atom, std::vector<caf::actor>& validators) {
      self->state.validators = std::move(validators); // a resized pool
    },
    [=](writer_atom, caf::actor storage) { self->state.storage = std::move(storage); },
    [=](scheduler_atom, caf::actor s) { self->state.scheduler = std::move(s); },
    [=](redis_atom, caf::actor reader) { self->state.redis = std::move(reader); },
    [=](stage_handles& h) { self->state.stages = std::move(h); },
    [=](jobs_atom, caf::actor j) { self->state.jobs = std::move(j); },
    [=](internal_atom, http_call& call) {
      // The jobs actor's own calls: the route's handler directly, without
      // client limits, access checks or request metrics.
      auto method = call.request.method;
      for (auto& r : all_gateway_routes())
        if (r.method == method && match(r.pattern, call.request.path, call.path_params))
          return r.handle(self, call);
      call.reply(fail(404, "not_found", "no route " + call.request.path));
    },
    [=](http_call& call) {
      self->state.stats.events_in += 1;
      dispatch(self, std::move(call));
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

caf::actor spawn_gateway(caf::actor_system& sys, const topology& topo,
                         boost::asio::io_context& ioc, caf::actor cache,
                         std::vector<caf::actor> validators) {
  return sys.spawn(gateway, topo, &ioc, std::move(cache), std::move(validators));
}

} // namespace tickflow
