#include "api/routes/dashboard.hpp"

#include <algorithm>

#include "api/dashboard_assets.hpp"
#include "api/event_json.hpp"
#include "api/routes/common.hpp"

namespace tickflow::api {

namespace {

/// The embedded file `name`, or nullptr.
const dashboard_asset* find_asset(std::string_view name) {
  for (auto& a : dashboard_assets())
    if (a.name == name)
      return &a;
  return nullptr;
}

http_response asset_response(const dashboard_asset& a) {
  http_response r;
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

} // namespace

std::string dashboard_config(const topology& topo) {
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
  append_json_string(out, TICKFLOW_VERSION);
  out += ",\"ws\":{\"port\":";
  out += topo.broadcaster.port == 0 ? std::string{"null"}
                                    : std::to_string(topo.broadcaster.port);
  out += ",\"path\":";
  append_json_string(out, topo.broadcaster.path);
  out += "},\"instruments\":";
  append_strings(out, instruments);
  out += ",\"intervals\":";
  append_strings(out, intervals);
  out += ",\"providers\":";
  append_strings(out, topo.providers);
  out += '}';
  return out;
}

http_response dashboard_index() {
  if (auto a = find_asset("index.html"))
    return asset_response(*a);
  return fail(404, "not_found", "the dashboard is not built in");
}

http_response dashboard_file(const std::string& name, const topology& topo) {
  if (name == "config.json") {
    auto r = json(200, dashboard_config(topo));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }
  if (auto a = find_asset(name))
    return asset_response(*a);
  return fail(404, "not_found", "no dashboard file " + name);
}

} // namespace tickflow::api
