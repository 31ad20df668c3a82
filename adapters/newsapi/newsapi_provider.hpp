#pragma once

// NewsAPI (news search): its provider id and descriptor.

#include "pipeline/model/provider.hpp"

namespace tickflow {

struct provider_descriptor;

namespace providers {

/// NewsAPI's id. Journals, Redis and capture files store it: it never
/// changes (adapters/registry.cpp).
inline constexpr provider newsapi{11};

} // namespace providers

/// NewsAPI's descriptor (newsapi_provider.cpp), listed in
/// adapters/registry.cpp.
const provider_descriptor& newsapi_descriptor();

} // namespace tickflow
