#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

schema_extension jobs_schema() {
  return {};
}

} // namespace tickflow::topo
