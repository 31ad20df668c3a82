#pragma once

#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>

#include "actors/messages.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The supervisor's messages ((restart_atom, provider) and drain_atom are
/// also its own timers).
using supervisor_actor = caf::typed_actor<
  caf::replies_to<reload_atom, topology>::with<std::string>, caf::reacts_to<drain_atom>,
  caf::replies_to<start_atom>::with<listen_ports>, caf::reacts_to<restart_atom, std::string>,
  caf::replies_to<providers_atom>::with<std::vector<caf::actor>>, // untyped: 4 provider kinds
  caf::replies_to<stats_atom>::with<std::vector<stage_stats>>>;

/// Spawns the supervisor, which builds the whole topology from the config:
///   providers -> sharder -> validator[0..n) -> router -> {cache, broadcaster}
///   gateway -> cache
/// It monitors every actor: a crashed provider is restarted after a backoff
/// ([supervisor]); any other stage failing is fatal (the supervisor quits with
/// that reason, so the process exits non-zero and its service manager
/// restarts it). Exiting the supervisor stops every actor it spawned.
/// Answers:
///   (start_atom) -> listen_ports, once the REST and WebSocket servers listen
///   (providers_atom) -> the live provider actors (untyped handles)
///   (stats_atom) -> std::vector<stage_stats> of every stage
supervisor_actor spawn_supervisor(caf::actor_system& sys, topology topo,
                                  boost::asio::io_context& ioc);

} // namespace tickflow
