#include "actors/gateway_actor.hpp"

#include <algorithm>
#include <chrono>

#include <boost/asio/post.hpp>

#include "actors/gateway_state.hpp"
#include "adapters/registry.hpp"

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

namespace {

// -- dispatch -------------------------------------------------------------------

/// Every route of every area.
const std::vector<route>& all_routes() {
  static const std::vector<route> xs = [] {
    std::vector<route> out;
    for (auto part : {ops_routes(), data_routes(), report_routes(), cache_routes()})
      out.insert(out.end(), part.begin(), part.end());
    return out;
  }();
  return xs;
}

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

void dispatch(gateway_ptr self, http_call call) {
  auto& req = call.request;
  std::string allowed;
  auto method = req.method == "HEAD" ? std::string{"GET"} : req.method;
  for (auto& r : all_routes()) {
    if (!match(r.pattern, req.path, call.path_params))
      continue;
    if (r.method == method)
      return r.handle(self, call);
    if (allowed.find(r.method) == std::string::npos)
      allowed += (allowed.empty() ? "" : ", ") + r.method + (r.method == "GET" ? ", HEAD" : "");
  }
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
  st.server = std::make_shared<api::http_server>(
    *ioc, opts, [me](api::http_request req, api::responder reply) {
      if (auto a = caf::actor_cast<caf::actor>(me))
        caf::anon_send(a, http_call{std::move(req), std::move(reply), {}});
      // else: the responder is dropped and the server answers 500
    });
  st.topo = std::move(topo);
  return {
    [=](start_atom) -> caf::result<uint16_t> {
      auto& st = self->state;
      auto& gw = st.topo.gateway;
      auto r = st.server->listen(gw.bind, gw.port);
      if (!r)
        return caf::make_error(caf::sec::runtime_error, r.err().context);
      st.log->info("REST gateway on http://{}:{}", gw.bind, st.server->port());
      return st.server->port();
    },
    [=](provider_handles& h) { self->state.providers = std::move(h); },
    [=](writer_atom, caf::actor storage) { self->state.storage = std::move(storage); },
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
