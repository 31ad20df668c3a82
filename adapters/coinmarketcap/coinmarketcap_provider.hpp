#pragma once

// CoinMarketCap: its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// CoinMarketCap's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider coinmarketcap{5};

} // namespace providers

/// CoinMarketCap's descriptor (coinmarketcap_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& coinmarketcap_descriptor();

} // namespace tickflow
