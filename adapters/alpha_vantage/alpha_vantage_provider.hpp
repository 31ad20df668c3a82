#pragma once

// Alpha Vantage: its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// Alpha Vantage's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider alpha_vantage{6};

} // namespace providers

/// Alpha Vantage's descriptor (alpha_vantage_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& alpha_vantage_descriptor();

} // namespace tickflow
