#pragma once

// Binance: its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// Binance's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider binance{2};

} // namespace providers

/// Binance's descriptor (binance_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& binance_descriptor();

} // namespace tickflow
