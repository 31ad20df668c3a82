// [reference]: see reference_settings.hpp.

#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

schema_extension reference_schema() {
  return {{}, {}};
}

} // namespace tickflow::topo
