#pragma once

// CoinGecko: its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// CoinGecko's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider coingecko{4};

} // namespace providers

/// CoinGecko's descriptor (coingecko_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& coingecko_descriptor();

} // namespace tickflow
