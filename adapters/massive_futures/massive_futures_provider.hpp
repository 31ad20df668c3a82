#pragma once

// Massive futures (Massive's futures REST API): its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// Massive futures' id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider massive_futures{10};

} // namespace providers

/// Massive futures' descriptor (massive_futures_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& massive_futures_descriptor();

} // namespace tickflow
