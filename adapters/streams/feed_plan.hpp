#pragma once

// Which connections a provider's live feed needs, and what each carries.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "adapters/streams/stream_protocol.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow {

/// One connection's share of a provider's feed.
struct stream_connection_spec {
  stream_settings settings;         ///< the provider's [stream.<name>] section
  std::string connection;           ///< "binance#0", "binance#1", ...
  std::vector<stream_topic> topics; ///< at most the provider's per-connection limit
  uint64_t seed = 1;                ///< reconnect jitter
};

/// The connections the enabled feeds ([streams] enabled) need: each
/// provider's subscriptions, without repeats, cut into groups no bigger
/// than its dialect allows per connection (Binance: 1024), one per group.
std::vector<stream_connection_spec> plan_stream_connections(const topology& topo);

/// The stream dialect of a feed, with the provider's REST symbol overrides
/// (nullptr: the provider has none).
std::unique_ptr<stream_protocol> stream_protocol_for(const topology& topo,
                                                     const std::string& provider);

/// The subscription a configured topic asks for.
stream_subscription subscription_of(const stream_topic& t);

} // namespace tickflow
