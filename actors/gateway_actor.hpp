#pragma once

#include <vector>

#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Spawns the gateway: it owns the REST server ([gateway], HTTP/1.1
/// keep-alive on `ioc`), routes requests (the route tables of
/// actors/gateway_*.cpp, documented in api/openapi.json and docs/API.md),
/// checks access ([auth]: API keys, loopback rule, admin token) and
/// per-client limits ([limits]) before a route runs, and counts every
/// answer per route for /metrics. Data queries go to the cache actor, then
/// the REST provider actors on a miss; webhooks ([webhooks]) feed the
/// sharder. Errors use the one JSON error shape (api_error.hpp).
/// Answers (start_atom) -> uint16_t bound port (or an error: a bad
/// [auth] keys-file), stats_atom; takes provider_handles and stage_handles
/// from the supervisor.
caf::actor spawn_gateway(caf::actor_system& sys, const topology& topo,
                         boost::asio::io_context& ioc, caf::actor cache,
                         std::vector<caf::actor> validators);

} // namespace tickflow
