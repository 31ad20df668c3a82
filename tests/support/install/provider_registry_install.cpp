// Installs the provider registry (adapters/registry.hpp) before any test
// runs, in every test binary: provider names, the config schema and the
// failover and limit defaults all read it, as in the service's main().
// tests/CMakeLists.txt links this object into each binary (an object, not
// an archive member, so the initializer is never dropped by the linker).

#include "adapters/registry.hpp"

namespace {

const bool installed = [] {
  tickflow::install_provider_registry();
  return true;
}();

} // namespace
