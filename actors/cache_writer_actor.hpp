#pragma once

#include <caf/all.hpp>

#include "actors/flow.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The cache writer's messages (retry_atom: its own timer).
using cache_writer_actor = batch_sink_actor::extend_with<quarantine_sink_actor>::extend<
  caf::reacts_to<retry_atom>, caf::replies_to<flush_atom>::with<writer_stats>,
  caf::replies_to<stats_atom, writer_atom>::with<writer_stats>>;

/// Spawns the cache writer ([redis]), a detached actor and a router sink:
/// every accepted event_batch becomes one pipelined Redis round trip
/// (redis::build_commands: latest price per trade, ticker per quote, capped
/// bar series, the instruments index, one PUBLISH per event) and is acked
/// upstream (flow.hpp) once handled.
///
/// Nothing is lost while Redis is gone: a failed write turns the writer into
/// journal mode, where each batch is appended to its bounded disk journal
/// ([redis] journal-dir, journal-max-bytes, journal-policy) and still acked;
/// a retry with exponential backoff (100 ms .. 5 s) reconnects and replays
/// the journal in order before new batches go to Redis directly again. What
/// the bound policy refuses or deletes is counted as dropped. A journal left
/// by a previous run is replayed at start. A journal directory that cannot
/// be opened stops the actor with an error (fatal for the supervisor).
/// Quarantined events (quarantine_atom) go to the streams only (no key),
/// when Redis answers; while it does not they are counted as dropped (the
/// validating node's ring and PostgreSQL still hold them).
/// Answers:
///   (stats_atom) -> stage_stats
///   (stats_atom, writer_atom) -> writer_stats
///   (flush_atom) -> writer_stats, after one replay attempt when journaling
cache_writer_actor spawn_cache_writer(caf::actor_system& sys, const topology& topo);

} // namespace tickflow
