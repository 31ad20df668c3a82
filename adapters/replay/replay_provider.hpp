#pragma once

// Replay (capture files played back; a reserved name): its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// Replay's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider replay{1};

} // namespace providers

/// Replay's descriptor (replay_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& replay_descriptor();

} // namespace tickflow
