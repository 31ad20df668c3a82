#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/flow.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Counters of the Redis subscriber, answered to (stats_atom, redis_atom).
struct subscriber_stats {
  uint64_t messages = 0;         ///< published messages received
  uint64_t events = 0;           ///< events passed on to the sinks
  uint64_t batches = 0;          ///< event batches sent (to each sink)
  uint64_t own = 0;              ///< skipped: this node published them
  uint64_t prices = 0;           ///< skipped: prices (their trades carry them)
  uint64_t decode_failures = 0;  ///< payloads that did not decode (dropped)
  uint64_t dropped = 0;          ///< events dropped: sinks behind too long
  uint64_t subscriptions = 0;    ///< successful PSUBSCRIBEs (1 + reconnects)
  uint64_t connect_failures = 0; ///< failed connects and lost connections
  bool connected = false;        ///< subscribed right now
  std::string last_error;        ///< the last failure ("" if none yet)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscriber_stats& x) {
  return f(caf::meta::type_name("subscriber_stats"), x.messages, x.events,
           x.batches, x.own, x.prices, x.decode_failures, x.dropped,
           x.subscriptions, x.connect_failures, x.connected, x.last_error);
}

/// The Redis subscriber's messages (tick_atom: its own wait slices).
using redis_subscriber_actor = stats_actor::extend<
  caf::reacts_to<tick_atom>, caf::reacts_to<ack_atom>,
  caf::replies_to<stats_atom, redis_atom>::with<subscriber_stats>>;

/// Spawns the Redis subscriber ([cluster] subscribe), a detached actor with
/// its own hiredis connection: it PSUBSCRIBEs
/// <[redis] key-prefix>:events:* on [redis] host:port, decodes what other
/// nodes' cache writers publish (adapters/redis/redis_events_decode) and
/// sends the trades, quotes and bars as event_batch to every sink (this
/// node's cache and broadcaster), within each link's credit
/// ([pipeline] queue-bound, flow.hpp).
///
/// - Messages tagged with this node's [cluster] node-id are skipped: the
///   local pipeline already delivered them. Prices are skipped too: the
///   trade that set a price is published beside it.
/// - It waits for messages in slices of at most 50 ms, so its mailbox
///   (acks, stats, exit) is served in between. While the sinks are behind,
///   events gather in one pending batch; past 100000 events new ones are
///   dropped and counted (a subscription cannot be paused).
/// - Payloads that do not decode are counted and logged at most once per
///   10 s. Redis gone: reconnect and PSUBSCRIBE again with exponential
///   backoff (100 ms .. 5 s); a connection silent for 5 s gets a PING and
///   one silent for 15 s is replaced. What was published while the
///   subscription was down is not replayed (pub/sub keeps nothing).
/// Answers (stats_atom) -> stage_stats ("redis-subscriber": events_in =
/// messages, rejected = decode failures, dropped) and
/// (stats_atom, redis_atom) -> subscriber_stats.
redis_subscriber_actor spawn_redis_subscriber(caf::actor_system& sys,
                                              const topology& topo,
                                              std::vector<batch_sink_actor> sinks);

} // namespace tickflow
