#pragma once

// Yahoo Finance: its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// Yahoo Finance's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider yahoo{9};

} // namespace providers

/// Yahoo Finance's descriptor (yahoo_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& yahoo_descriptor();

} // namespace tickflow
