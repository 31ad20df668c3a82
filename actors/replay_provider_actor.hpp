#pragma once

#include <caf/all.hpp>

#include "actors/flow.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The replay provider's own timers: the next turn, the next frame due.
using play_atom = caf::atom_constant<caf::atom("rplay")>;
using due_atom = caf::atom_constant<caf::atom("rdue")>;

/// The replay provider's messages.
using replay_provider_actor = stats_actor::extend<
  caf::reacts_to<play_atom>, caf::reacts_to<due_atom>, caf::reacts_to<ack_atom>,
  caf::replies_to<health_atom>::with<stream_health>>;

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
replay_provider_actor spawn_replay_provider(caf::actor_system& sys,
                                            const topology& topo,
                                            batch_sink_actor intake);

} // namespace tickflow
