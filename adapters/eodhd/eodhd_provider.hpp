#pragma once

// EODHD: its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// EODHD's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider eodhd{7};

} // namespace providers

/// EODHD's descriptor (eodhd_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& eodhd_descriptor();

} // namespace tickflow
