#pragma once

// The simulator (the random-walk feed): its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// The simulator's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider simulator{0};

} // namespace providers

/// The simulator's descriptor (simulator_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& simulator_descriptor();

} // namespace tickflow
