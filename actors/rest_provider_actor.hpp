#pragma once

#include <caf/all.hpp>

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Spawns one REST provider actor, detached (its own thread: libcurl blocks
/// only it). It owns the provider's adapter, a curl client (connection reuse,
/// timeouts, body limit, gzip) and its credentials, read once from the
/// environment variable named in the config. Answers
///   (fetch_atom, fetch_request) -> fetch_reply
///   (health_atom) -> provider_health
/// and forwards every fetched bar batch to `intake` (the sharder), so
/// fetched data is validated, cached and broadcast like streamed data.
caf::actor spawn_rest_provider(caf::actor_system& sys,
                               const rest_provider_settings& settings,
                               caf::actor intake);

} // namespace tickflow
