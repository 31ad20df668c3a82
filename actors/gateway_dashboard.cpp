// The dashboard: static files from api/dashboard/ (compiled in) at / and
// /dashboard/<file>, and /dashboard/config.json, which tells the page where
// the WebSocket server listens and what it can subscribe to.

#include <algorithm>

#include "actors/dashboard_assets.hpp"
#include "actors/gateway_state.hpp"
#include "api/event_json.hpp"

namespace tickflow {

namespace {

/// The embedded file `name`, or nullptr.
const dashboard_asset* find_asset(std::string_view name) {
  for (auto& a : dashboard_assets())
    if (a.name == name)
      return &a;
  return nullptr;
}

api::http_response asset_response(const dashboard_asset& a) {
  api::http_response r;
  r.status = 200;
  r.content_type = std::string{a.content_type};
  r.body = std::string{a.body};
  // The files change only with the binary; revalidating is cheap anyway.
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // Everything the page uses comes from here; live data from the WebSocket
  // server on its own port.
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; connect-src 'self' ws: wss:; "
                         "img-src 'self' data:; base-uri 'none'; "
                         "form-action 'none'; frame-ancestors 'none'");
  return r;
}

void append_strings(std::string& out, const std::vector<std::string>& xs) {
  out += '[';
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ',';
    api::append_json_string(out, xs[i]);
  }
  out += ']';
}

/// {"version":"..","ws":{"port":8004,"path":"/api/v1/stream"},
///  "instruments":["BTC-USDT",...],"intervals":["1s","1m"],
///  "providers":["simulator"]}. ws.port is null when the WebSocket port is
/// chosen at start (port 0): the gateway does not know it then.
std::string config_body(const topology& topo) {
  std::vector<std::string> instruments;
  std::vector<std::string> intervals;
  bool simulated = std::find(topo.providers.begin(), topo.providers.end(),
                             "simulator")
                   != topo.providers.end();
  if (simulated) {
    for (auto& s : topo.simulator.symbols)
      instruments.push_back(s.instrument);
    for (auto iv : topo.simulator.bar_intervals)
      intervals.emplace_back(to_string(iv));
  }
  if (intervals.empty())
    intervals = {"1m"};
  std::string out{"{\"version\":"};
  api::append_json_string(out, TICKFLOW_VERSION);
  out += ",\"ws\":{\"port\":";
  out += topo.broadcaster.port == 0 ? std::string{"null"}
                                    : std::to_string(topo.broadcaster.port);
  out += ",\"path\":";
  api::append_json_string(out, topo.broadcaster.path);
  out += "},\"instruments\":";
  append_strings(out, instruments);
  out += ",\"intervals\":";
  append_strings(out, intervals);
  out += ",\"providers\":";
  append_strings(out, topo.providers);
  out += '}';
  return out;
}

void handle_index(gateway_ptr, const http_call& call) {
  if (auto a = find_asset("index.html"))
    return call.reply(asset_response(*a));
  call.reply(fail(404, "not_found", "the dashboard is not built in"));
}

void handle_file(gateway_ptr self, const http_call& call) {
  auto name = call.path_param("file");
  if (name == "config.json") {
    auto r = json(200, config_body(self->state.topo));
    r.headers.emplace_back("Cache-Control", "no-store");
    return call.reply(std::move(r));
  }
  if (auto a = find_asset(name))
    return call.reply(asset_response(*a));
  call.reply(fail(404, "not_found", "no dashboard file " + name));
}

} // namespace

std::vector<route> dashboard_routes() {
  return {
    {"GET", "/", handle_index, route_access::open},
    {"GET", "/dashboard", handle_index, route_access::open},
    {"GET", "/dashboard/", handle_index, route_access::open},
    {"GET", "/dashboard/{file}", handle_file, route_access::open},
  };
}

} // namespace tickflow
