#pragma once

// Finnhub: its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// Finnhub's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider finnhub{8};

} // namespace providers

/// Finnhub's descriptor (finnhub_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& finnhub_descriptor();

} // namespace tickflow
