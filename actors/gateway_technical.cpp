// Routes of the technical area (filled in by issue 12).
#include "actors/gateway_state.hpp"

namespace tickflow {

std::vector<route> technical_routes() {
  return {};
}

} // namespace tickflow
