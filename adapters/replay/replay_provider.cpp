#include "adapters/replay/replay_provider.hpp"

#include "adapters/provider_descriptor.hpp"

namespace tickflow {

namespace {

provider_info info() {
  provider_info x;
  x.id = providers::replay;
  x.name = "replay";
  // Not a [providers] entry: [replay] plays capture files through the
  // recorded provider's stream dialect (actors/replay_provider_actor).
  x.selectable = false;
  return x;
}

} // namespace

const provider_descriptor& replay_descriptor() {
  static const provider_descriptor d = describe(info(), nullptr);
  return d;
}

} // namespace tickflow
