#pragma once

// The dashboard: static files from api/dashboard/ (compiled in) at / and
// /dashboard/<file>, and /dashboard/config.json, which tells the page where
// the WebSocket server listens and what it can subscribe to.

#include <string>
#include <string_view>

#include "api/http_types.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow::api {

/// GET /, /dashboard, /dashboard/: index.html (404 when not built in).
http_response dashboard_index();

/// GET /dashboard/{file}: config.json (from `topo`, never cached) or an
/// embedded file; 404 for any other name.
http_response dashboard_file(const std::string& name, const topology& topo);

/// {"version":"..","ws":{"port":8004,"path":"/api/v1/stream"},
///  "instruments":["BTC-USDT",...],"intervals":["1s","1m"],
///  "providers":["simulator"]}. ws.port is null when the WebSocket port is
/// chosen at start (port 0): the gateway does not know it then.
std::string dashboard_config(const topology& topo);

} // namespace tickflow::api
