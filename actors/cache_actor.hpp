#pragma once

#include <caf/all.hpp>

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Spawns the cache actor: the in-process L1 (latest price per instrument)
/// and the bounded in-memory bar store ([cache] max-bars-per-series per
/// instrument and interval, at most max-instruments instruments).
/// Receives accepted event batches (acks each); answers
///   (get_price_atom, std::string instrument) -> price_reply
///   (get_bars_atom, bars_query) -> bars_reply
///   (stats_atom) -> stage_stats
///   (cache_stats_atom) -> cache_stats (hits, misses, evictions, sizes)
/// `known` lists the instruments configured up front (they are known before
/// their first event).
caf::actor spawn_cache(caf::actor_system& sys, const topology& topo,
                       std::vector<std::string> known);

} // namespace tickflow
