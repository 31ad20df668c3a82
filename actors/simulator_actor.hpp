#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/book_messages.hpp"
#include "actors/flow.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Appends the frames due at `now_ns` to `out`: what the simulator parses
/// instead of its random walk's frames (tests).
using simulator_frame_source =
  std::function<void(int64_t now_ns, std::vector<std::string>& out)>;

/// The simulator's messages (tick_atom: its own frame timer; ack_atom: the
/// credit of its link).
using simulator_actor =
  stats_actor::extend<caf::reacts_to<tick_atom>, caf::reacts_to<ack_atom>>;

/// Spawns the simulator provider: a random-walk market (adapters/simulator)
/// that makes wire frames every simulator.timer and parses them itself
/// (simulator::parse_frames), like every other provider, sending event_batch
/// to `intake` (the sharder) within the credit of its link ([pipeline]
/// queue-bound; when the link is full the [pipeline] overflow policy either
/// pauses the feed or drops and counts). Frames that do not parse are counted
/// as rejected. Replies to stats_atom with stage_stats. With `books`, it
/// also runs a book per symbol (adapters/simulator/simulator_book) and
/// sends each tick's book updates there, outside the batch link's credit.
simulator_actor spawn_simulator(caf::actor_system& sys, const topology& topo,
                                batch_sink_actor intake,
                                caf::typed_actor<caf::reacts_to<book_batch>> books = {});

/// The same, with frames from `source` instead of the random walk, parsed
/// with the symbols of topo.simulator.
simulator_actor spawn_simulator(caf::actor_system& sys, const topology& topo,
                                batch_sink_actor intake,
                                simulator_frame_source source);

} // namespace tickflow
