#pragma once

#include <caf/all.hpp>

#include "actors/flow.hpp"

#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// Asks the cache for the instruments it knows.
using instruments_atom = caf::atom_constant<caf::atom("instrmnts")>;

/// The cache's messages.
using cache_actor = batch_sink_actor::extend<
  caf::replies_to<get_price_atom, std::string>::with<price_reply>,
  caf::replies_to<get_bars_atom, bars_query>::with<bars_reply>,
  caf::reacts_to<fill_atom, price>, caf::reacts_to<fill_atom, bars_fill>,
  caf::replies_to<clear_atom, std::string>::with<uint64_t>,
  caf::replies_to<cache_stats_atom>::with<cache_stats>,
  caf::replies_to<instruments_atom>::with<std::vector<std::string>>,
  caf::replies_to<get_quote_atom, std::string>::with<quote_reply>,
  caf::replies_to<get_trades_atom, trades_query>::with<trades_reply>>;

/// Spawns the cache actor: the in-process L1 of the read path, an LRU whose
/// entries expire ([cache] max-entries, max-bytes, ttl-price, ttl-bars).
/// Entries are named like the Redis keys without their prefix, so one glob
/// pattern selects the same data in both:
///   price:<instrument>            latest price (TTL ttl-price)
///   bars:<interval>:<instrument>  bar series, at most max-bars-per-series
///                                 bars, with what it covers (TTL ttl-bars)
/// Every update refreshes an entry's TTL. Receives accepted event batches
/// (acks each: trades set prices, bars feed live series) and read-through
/// fills from the gateway; answers
///   (get_price_atom, std::string instrument) -> price_reply
///   (get_bars_atom, bars_query) -> bars_reply: ok only when the series is
///       known to hold every bar of the answer (cache::bar_series::query);
///       otherwise no_data (or unknown) without bars
///   (fill_atom, price), (fill_atom, bars_fill): read-through fills
///   (clear_atom, std::string glob) -> uint64_t entries removed
///   (stats_atom) -> stage_stats
///   (cache_stats_atom) -> cache_stats (hits, misses, evictions, sizes)
///   (instruments_atom) -> the instruments known (configured and seen), sorted
///   (get_quote_atom, std::string instrument) -> quote_reply: the newest
///       quote seen (no expiry: a quote is as fresh as its own time says)
///   (get_trades_atom, trades_query) -> trades_reply: from the newest
///       [cache] recent-trades trades kept per instrument
///       (cache::recent_trades); `complete` when nothing older is missing
/// `known` lists the instruments configured up front (they are known before
/// their first event; at most max-instruments are known at once).
cache_actor spawn_cache(caf::actor_system& sys, const topology& topo,
                       std::vector<std::string> known);

} // namespace tickflow
