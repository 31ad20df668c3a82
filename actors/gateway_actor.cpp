#include "actors/gateway_actor.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

#include <boost/asio/post.hpp>

#include "actors/gateway_state.hpp"
#include "actors/jobs_actor.hpp"
#include "adapters/registry.hpp"
#include "api/memory_budget.hpp"
#include "api/routes/dispatch.hpp"
#include "pipeline/topology/instruments.hpp"

namespace tickflow {

gateway_state::~gateway_state() {
  if (server && ioc)
    boost::asio::post(*ioc, [srv = server] { srv->stop(); });
}

bool gateway_state::enabled(const std::string& provider) const {
  return std::find(topo.providers.begin(), topo.providers.end(), provider)
         != topo.providers.end();
}

std::vector<std::pair<std::string, rest_provider_actor>>
gateway_state::rest_chain(const std::string& only) const {
  std::vector<std::pair<std::string, rest_provider_actor>> xs;
  auto& ph = reads.providers;
  for (size_t i = 0; i < ph.names.size(); ++i) {
    auto& n = ph.names[i];
    if (n == "simulator" || !ph.actors[i] || (!only.empty() && n != only))
      continue;
    // Every provider actor but the simulator's is a REST provider's.
    xs.emplace_back(n, caf::actor_cast<rest_provider_actor>(ph.actors[i]));
  }
  return xs;
}

const std::vector<route>& all_gateway_routes() {
  static const std::vector<route> xs = [] {
    std::vector<route> out;
    for (auto part : {ops_routes(), data_routes(), batch_routes(), report_routes(),
                      cache_routes(), webhook_routes(), dashboard_routes(),
                      jobs_routes(), technical_routes(), reference_routes(),
                      instruments_routes(), ticks_routes(), corporate_actions_routes(),
                      book_routes()})
      out.insert(out.end(), part.begin(), part.end());
    return out;
  }();
  return xs;
}

namespace {

/// Wraps `reply` so the answer is counted under `route` with its latency.
api::responder measured(gateway_ptr self, api::responder reply,
                        std::string method, std::string route) {
  auto log = self->state.ops.requests;
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

void dispatch(gateway_ptr self, http_call call) {
  auto& req = call.request;
  auto& routes = all_gateway_routes();
  auto found = api::find_route(routes, req.method, req.path, call.path_params);
  auto label = api::method_label(req.method);
  if (found.index < routes.size()) {
    auto& r = routes[found.index];
    call.reply = measured(self, std::move(call.reply), label, r.pattern);
    auto& st = self->state;
    if (auto no = st.ops.access.admit(r.access, req, st.topo.access, now_ns()))
      return call.reply(std::move(*no));
    return r.handle(self, call);
  }
  auto pattern = found.pattern_index < routes.size() ? routes[found.pattern_index].pattern
                                                     : std::string{"unmatched"};
  call.reply = measured(self, std::move(call.reply), label, std::move(pattern));
  call.reply(api::no_route(req, found.allowed));
}

gateway_actor::behavior_type gateway(gateway_ptr self, topology topo,
                                     boost::asio::io_context* ioc, cache_actor cache,
                                     std::vector<validator_actor> validators) {
  auto& st = self->state;
  st.reads.validators = std::move(validators);
  st.ioc = ioc;
  st.reads.cache = std::move(cache);
  for (auto p : rest_providers())
    if (auto a = make_rest_adapter(p, {}))
      st.reads.catalog.push_back(std::move(a));
  int64_t slowest = 0;
  for (auto& [name, rp] : topo.rest_providers)
    slowest = std::max(slowest, rp.timeout_ns);
  st.reads.fetch_timeout = std::chrono::nanoseconds{slowest + 2'000'000'000};
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
  opts.budget_exempt_paths = {"/health", "/ready", "/metrics", "/status"};
  // One budget per process: the broadcaster's upgrades obey it too.
  api::memory_budget::process().set_limit(topo.gateway.max_memory_bytes);
  st.server = std::make_shared<api::http_server>(
    *ioc, opts, [me](api::http_request req, api::responder reply) {
      if (auto a = caf::actor_cast<gateway_actor>(me))
        caf::anon_send(a, http_call{std::move(req), std::move(reply), {}, priority::urgent});
      // else: the responder is dropped and the server answers 500
    });
  st.topo = std::move(topo);
  st.reflists.lists = reference_lists{st.topo.instruments.max_reference};
  st.symbols = make_symbol_resolver(st.topo);
  st.live_spans = live_bar_intervals(st.topo);
  load_access(self);
  return {
    [=](start_atom) -> caf::result<uint16_t> {
      auto& st = self->state;
      if (!st.ops.start_error.empty())
        return caf::make_error(caf::sec::runtime_error, st.ops.start_error);
      auto& gw = st.topo.gateway;
      auto r = st.server->listen(gw.bind, gw.port);
      if (!r)
        return caf::make_error(caf::sec::runtime_error, r.err().context);
      st.log->info("REST gateway on http://{}:{}", gw.bind, st.server->port());
      return st.server->port();
    },
    [=](provider_handles& h) {
      self->state.reads.providers = std::move(h);
      start_holiday_refresh(self);
      start_reference_refresh(self);
    },
    [=](holidays_atom) { refresh_holidays(self); },
    [=](reflist_atom) { refresh_reference_lists(self); },
    [=](reflist_atom, const std::string& provider) { next_reference_page(self, provider); },
    [=](reload_atom, const topology& next) {
      // SIGHUP changed [providers]: which ones may be asked, and their sections.
      auto& st = self->state;
      st.topo.providers = next.providers;
      st.topo.rest_providers = next.rest_providers;
      st.symbols = make_symbol_resolver(st.topo); // the simulator may come or go
      st.live_spans = live_bar_intervals(st.topo);
      st.reflists.version += 1; // the instruments catalog is built anew
    },
    [=](reload_atom, std::vector<validator_actor>& validators) {
      self->state.reads.validators = std::move(validators); // a resized pool
    },
    [=](writer_atom, storage_writer_actor storage) {
      self->state.reads.storage = std::move(storage);
    },
    [=](scheduler_atom, scheduler_actor s) { self->state.reads.scheduler = std::move(s); },
    [=](redis_atom, redis_reader_actor reader) { self->state.reads.redis = std::move(reader); },
    [=](stage_handles& h) { self->state.ops.stages = std::move(h); },
    [=](jobs_atom, jobs_actor j) { self->state.ops.jobs = std::move(j); },
    [=](books_atom, books_actor b) { self->state.reads.books = std::move(b); },
    [=](internal_atom, http_call& call) {
      // The jobs actor's own calls: the route's handler directly, without
      // client limits, access checks or request metrics.
      for (auto& r : all_gateway_routes())
        if (r.method == call.request.method
            && api::match_path(r.pattern, call.request.path, call.path_params))
          return r.handle(self, call);
      call.reply(api::fail(404, "not_found", "no route " + call.request.path));
    },
    [=](http_call& call) {
      self->state.stats.events_in += 1;
      dispatch(self, std::move(call));
    },
    [=](stats_atom) { return self->state.stats; },
  };
}

} // namespace

gateway_actor spawn_gateway(caf::actor_system& sys, const topology& topo,
                            boost::asio::io_context& ioc, cache_actor cache,
                            std::vector<validator_actor> validators) {
  return sys.spawn(gateway, topo, &ioc, std::move(cache), std::move(validators));
}

} // namespace tickflow
