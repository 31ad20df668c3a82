#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/broadcaster_actor.hpp"
#include "actors/flow.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Counters of the Redis subscriber, answered to (stats_atom, redis_atom).
struct subscriber_stats {
  uint64_t messages = 0;         ///< events received (stream entries hold several)
  uint64_t events = 0;           ///< events passed on to the sinks
  uint64_t batches = 0;          ///< event batches sent (to each sink)
  uint64_t own = 0;              ///< skipped: stream entries this node wrote
  uint64_t prices = 0;           ///< skipped: prices (their trades carry them)
  uint64_t decode_failures = 0;  ///< events (or entries) that did not decode
  uint64_t dropped = 0;          ///< always 0: the streams wait for the sinks
  uint64_t subscriptions = 0;    ///< successful connects (1 + reconnects)
  uint64_t connect_failures = 0; ///< failed connects and lost connections
  bool connected = false;        ///< reading right now
  std::string last_error;        ///< the last failure ("" if none yet)
  uint64_t entries = 0;          ///< stream entries read
  uint64_t replayed = 0;         ///< events of journal replays (flag "replayed")
  uint64_t gaps = 0;             ///< shards found trimmed past this node's position
  uint64_t repeats = 0;          ///< skipped: replayed entries already delivered
  uint64_t rewinds = 0;          ///< shards whose stream lost entries already read
  uint64_t quarantined = 0;      ///< other nodes' quarantined events passed on
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscriber_stats& x) {
  return f(caf::meta::type_name("subscriber_stats"), x.messages, x.events,
           x.batches, x.own, x.prices, x.decode_failures, x.dropped,
           x.subscriptions, x.connect_failures, x.connected, x.last_error,
           x.entries, x.replayed, x.gaps, x.repeats, x.rewinds, x.quarantined);
}

/// The Redis subscriber's messages (tick_atom: its own wait slices).
using redis_subscriber_actor = stats_actor::extend<
  caf::reacts_to<tick_atom>, caf::reacts_to<ack_atom>,
  caf::reacts_to<writer_atom, quarantine_sink_actor>,
  caf::replies_to<stats_atom, redis_atom>::with<subscriber_stats>>;

/// Spawns the Redis subscriber ([cluster] subscribe), a detached actor with
/// its own hiredis connection: it XREADs the event streams
/// <[redis] key-prefix>:stream:0 .. [redis] streams - 1 that other nodes'
/// cache writers XADD to (adapters/redis/redis_streams), decodes them
/// (redis_events_decode) and sends the trades, quotes and bars as
/// event_batch to every sink (this node's cache and broadcaster), within
/// each link's credit ([pipeline] queue-bound, flow.hpp).
///
/// - It starts at each stream's newest id and keeps the last id it read per
///   stream: after a lost connection it reconnects (backoff 100 ms .. 5 s)
///   and resumes from there, so nothing written meanwhile is lost. While
///   the sinks are behind it stops reading (Redis keeps the entries).
/// - A stream whose oldest entry is newer than the last id read was trimmed
///   past this node ([redis] stream-retention exceeded; checked on every
///   reconnect and every second): (gap_atom, shard, shards) goes to
///   `gaps` (the broadcaster: a gap status and a fresh snapshot for the
///   channels of that shard's instruments), after the next batch went to
///   the other sinks, so the snapshot holds it.
/// - Entries tagged with this node's [cluster] node-id are skipped: the
///   local pipeline already delivered them. Events of journal replays get
///   the quality flag "replayed". Prices are skipped (their trades carry
///   them). Undecodable events are counted and logged at most once per 10 s.
/// Answers (stats_atom) -> stage_stats ("redis-subscriber": events_in =
/// events received, rejected = decode failures, dropped = 0) and
/// (stats_atom, redis_atom) -> subscriber_stats.
redis_subscriber_actor spawn_redis_subscriber(caf::actor_system& sys,
                                              const topology& topo,
                                              std::vector<batch_sink_actor> sinks,
                                              broadcaster_actor gaps = {});

} // namespace tickflow
