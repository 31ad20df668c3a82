#pragma once

#include <caf/all.hpp>

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Spawns the replay provider ([replay]; detached: it reads files). It plays
/// the capture files written by the stream actors (adapters/capture) through
/// the same stream dialect and the same duplicate filter as the live feed,
/// so it yields the events of the live run that recorded them, with the
/// recorded receive times. Pace ([replay] speed): original (the recorded
/// gaps between frames), <N>x (gaps divided by N) or max (as fast as the
/// pipeline takes them). It sends event_batch to `intake` within the credit
/// of its link (when the link is full it waits: a file can be paused). At
/// the end it stays idle. Answers stats_atom -> stage_stats and
/// health_atom -> stream_health (state "replaying" or "finished").
caf::actor spawn_replay_provider(caf::actor_system& sys, const topology& topo,
                                 caf::actor intake);

} // namespace tickflow
