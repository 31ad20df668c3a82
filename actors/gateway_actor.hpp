#pragma once

#include <vector>

#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Spawns the gateway: it owns the REST server ([gateway], HTTP/1.1
/// keep-alive on `ioc`), routes requests and answers data queries from the
/// cache actor, fetching from the REST provider actors on a miss, and data
/// quality from the validators. Routes: GET /health, /live, /ready,
/// /api/v1/data/price, /api/v1/data/ohlcv, /api/v1/data/providers,
/// /api/v1/data/quality, /api/v1/data/quarantine. Errors use the one JSON error shape (api_error.hpp).
/// Answers (start_atom) -> uint16_t bound port (or an error), stats_atom.
caf::actor spawn_gateway(caf::actor_system& sys, const topology& topo,
                         boost::asio::io_context& ioc, caf::actor cache,
                         std::vector<caf::actor> validators);

} // namespace tickflow
