#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tickflow {

/// A data source's stable numeric id (the simulator and replay are sources
/// too). Ids are not enumerated here: each provider's descriptor
/// (adapters/<name>/<name>_provider.hpp) names its own, and the registry
/// (adapters/registry.cpp) lists them all. Journals, Redis and capture files
/// store the id as one byte, so an id never changes and is never reused: a
/// new provider takes the next free one (tests/adapters/
/// provider_registry_test.cpp pins them). A default-constructed id is 0.
enum class provider : uint8_t {};

/// Stable snake_case name, as in configs; "unknown" for an id no provider
/// has (or before the names are installed).
std::string_view to_string(provider p) noexcept;

/// Inverse of to_string; nullopt for an unknown name.
std::optional<provider> provider_from_string(std::string_view name) noexcept;

/// True when an installed provider has the id `p`.
bool is_known(provider p) noexcept;

/// Installs the names to_string and provider_from_string read: `by_id[i]`
/// is the name of id i ("" for an id nobody has). install_providers
/// (pipeline/providers/provider_info.hpp) calls it, once at start (the
/// registry's install_provider_registry), before any other thread runs:
/// readers take no lock. The views must outlive every reader (the
/// descriptors' names are string literals).
void install_provider_names(std::vector<std::string_view> by_id);

} // namespace tickflow
