#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

schema_extension scheduler_schema() {
  return {};
}

} // namespace tickflow::topo
