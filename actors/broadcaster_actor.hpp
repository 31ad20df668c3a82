#pragma once

#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Spawns the broadcaster: it owns the WebSocket server ([broadcaster]) on
/// `ioc`, the client subscriptions, and fans accepted event batches out to
/// subscribers, one JSON frame per event, serialized once per channel.
/// Clients whose unsent bytes exceed client-queue-bytes are closed (1008).
/// Answers (start_atom) -> uint16_t bound port (or an error), stats_atom.
/// `known` lists the instruments clients may subscribe to before their first
/// event; instruments seen in events join it.
caf::actor spawn_broadcaster(caf::actor_system& sys, const topology& topo,
                             boost::asio::io_context& ioc,
                             std::vector<std::string> known);

} // namespace tickflow
