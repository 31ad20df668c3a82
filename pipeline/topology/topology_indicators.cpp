// [indicators]: see indicators_settings.hpp.

#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

schema_extension indicators_schema() {
  return {{}, {}};
}

} // namespace tickflow::topo
