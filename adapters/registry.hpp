#pragma once

// The provider registry: the one table of every provider's descriptor
// (adapters/provider_descriptor.hpp). Adding a provider means its folder
// (adapters/<name>/) and one line in registry.cpp; the config schema,
// failover and limit defaults, the provider listing, webhooks and the docs
// table all read this table (docs/RECIPES.md).

#include <memory>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "adapters/provider_descriptor.hpp"
#include "adapters/streams/stream_protocol.hpp"

namespace tickflow {

/// Every provider's descriptor, in id order.
const std::vector<const provider_descriptor*>& provider_registry();

/// The descriptor of provider `p`, or nullptr.
const provider_descriptor* find_descriptor(provider p) noexcept;

/// Installs the registry's provider_info table (pipeline/providers/
/// provider_info.hpp) and the provider names, for to_string(provider),
/// the config schema and everything else in pipeline/. Every program calls
/// it once at start, before any other thread runs (main, the benchmarks;
/// the test binaries from tests/support/provider_registry_install.cpp).
/// Calling it again is harmless.
void install_provider_registry();

/// The REST adapter of a provider, or nullptr for one without REST
/// (simulator, replay).
std::unique_ptr<rest_adapter> make_rest_adapter(provider p,
                                                const adapter_options& opts);

/// Every provider with a REST adapter, in id order.
std::vector<provider> rest_providers() noexcept;

} // namespace tickflow
