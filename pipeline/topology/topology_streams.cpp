#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

schema_extension streams_schema() {
  return {};
}

} // namespace tickflow::topo
