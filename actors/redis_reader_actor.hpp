#pragma once

#include <caf/all.hpp>

#include "actors/flow.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// The Redis reader's messages.
using redis_reader_actor = stats_actor::extend<
  caf::replies_to<get_price_atom, std::string>::with<price_reply>,
  caf::replies_to<get_bars_atom, bars_query>::with<bars_reply>,
  caf::replies_to<clear_atom, std::string>::with<uint64_t>>;

/// Spawns the Redis reader ([redis] enabled): the read path's second step,
/// a detached actor with its own connection to the [redis] server, reading
/// the keys the cache writer maintains (adapters/redis/redis_reads.hpp).
/// Calls use [cache] redis-timeout for connect and I/O. A failure marks
/// Redis as down: until a backoff passes (100 ms, doubling up to 5 s) every
/// read answers no_data at once without touching the network, then the next
/// read reconnects. So a dead Redis costs the read path one short timeout
/// per backoff period, never a hang. Answers
///   (get_price_atom, std::string instrument) -> price_reply (ok / no_data)
///   (get_bars_atom, bars_query) -> bars_reply: the newest `limit` cached
///       bars of the range (ok, possibly incomplete: the caller judges), or
///       no_data
///   (clear_atom, std::string glob) -> uint64_t keys removed under the key
///       prefix (SCAN + UNLINK), or an error when Redis is unreachable
///   (stats_atom) -> stage_stats (events_in: reads, events_out: answers
///       with data, rejected: members that did not parse, dropped: reads
///       skipped or failed while Redis was down)
redis_reader_actor spawn_redis_reader(caf::actor_system& sys, const topology& topo);

} // namespace tickflow
