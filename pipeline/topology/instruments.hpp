#pragma once

// The instruments a topology names (the simulator's symbols, the enabled
// live feeds' subscriptions, the watchlists) and the symbol resolver that
// knows them.

#include <string>
#include <vector>

#include "pipeline/normalize/symbol_resolver.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// One configured instrument and the live sources that feed it.
struct configured_instrument {
  std::string id;                     ///< canonical
  std::vector<std::string> providers; ///< "simulator", stream feeds; sorted
};

/// Every instrument `t` names, sorted by id, each once: the simulator's
/// symbols (when it is enabled), every enabled [stream.*] subscription, and
/// the [watchlist] (no live provider).
std::vector<configured_instrument> configured_instruments(const topology& t);

/// The ids of the configured instruments a live source feeds (the
/// simulator's symbols, the enabled [stream.*] subscriptions), sorted: the
/// cache and the broadcaster know them before their first event, so a
/// WebSocket client may subscribe to them at once.
std::vector<std::string> live_instruments(const topology& t);

/// The bar intervals the pipeline builds live: the simulator's
/// bar-intervals (when it is enabled) and every enabled bars subscription.
std::vector<interval> live_bar_intervals(const topology& t);

/// The resolver of `t`: its configured instruments, [failover]
/// default-quotes and overrides.
symbol_resolver make_symbol_resolver(const topology& t);

} // namespace tickflow
