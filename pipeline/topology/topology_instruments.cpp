// [instruments]: see instruments_settings.hpp.

#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

schema_extension instruments_schema() {
  return {
    {
      {"instruments",
       {
         {"reference-lists",
          [](std::string_view v, topology& t) {
            return set_bool(v, t.instruments.reference_lists);
          }},
         {"refresh",
          [](std::string_view v, topology& t) {
            return set_duration(v, 60 * ns_per_s, 30 * 24 * ns_per_h,
                                t.instruments.refresh_ns);
          }},
         {"max-reference",
          [](std::string_view v, topology& t) {
            return set_uint(v, 0, 10'000'000, t.instruments.max_reference);
          }},
       }},
    },
    {},
  };
}

} // namespace tickflow::topo
