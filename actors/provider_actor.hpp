#pragma once

#include <caf/all.hpp>

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Spawns the simulator provider: a random-walk market (adapters/simulator)
/// emitting raw frames to `normalizer` every simulator.timer, within the
/// credit of its link ([pipeline] queue-bound; when the link is full the
/// [pipeline] overflow policy either pauses the feed or drops and counts).
/// Replies to stats_atom with stage_stats.
caf::actor spawn_simulator_provider(caf::actor_system& sys,
                                    const topology& topo,
                                    caf::actor normalizer);

} // namespace tickflow
