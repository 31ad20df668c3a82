#pragma once

#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Spawns the supervisor, which builds the whole topology from the config:
///   providers -> sharder -> validator[0..n) -> router -> {cache, broadcaster}
///   gateway -> cache
/// It monitors every actor: a crashed provider is restarted after a backoff
/// ([supervisor]); any other stage failing is fatal (the supervisor quits with
/// that reason, so the process exits non-zero and its service manager
/// restarts it). Exiting the supervisor stops every actor it spawned.
/// Answers:
///   (start_atom) -> listen_ports, once the REST and WebSocket servers listen
///   (providers_atom) -> std::vector<caf::actor>, the live provider actors
///   (stats_atom) -> std::vector<stage_stats> of every stage
caf::actor spawn_supervisor(caf::actor_system& sys, topology topo,
                            boost::asio::io_context& ioc);

} // namespace tickflow
