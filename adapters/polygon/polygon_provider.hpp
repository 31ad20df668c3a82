#pragma once

// Polygon (now Massive): its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// Polygon's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider polygon{3};

} // namespace providers

/// Polygon's descriptor (polygon_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& polygon_descriptor();

} // namespace tickflow
