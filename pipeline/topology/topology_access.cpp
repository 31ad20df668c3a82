#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

schema_extension access_schema() {
  return {};
}

} // namespace tickflow::topo
