// Installs the provider registry (adapters/registry.hpp) before libFuzzer
// runs, in every fuzz target: provider names, the config schema and the
// failover and limit defaults read it, as in the service's main().
// fuzz/CMakeLists.txt links this object into each target.

#include "adapters/registry.hpp"

namespace {

const bool installed = [] {
  tickflow::install_provider_registry();
  return true;
}();

} // namespace
