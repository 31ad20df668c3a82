// [reference]: see reference_settings.hpp.

#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

schema_extension reference_schema() {
  return {
    {
      {"reference",
       {
         {"enabled",
          [](std::string_view v, topology& t) { return set_bool(v, t.reference.enabled); }},
         {"fundamentals-ttl",
          [](std::string_view v, topology& t) {
            return set_duration(v, ns_per_s, 30 * 24 * ns_per_h,
                                t.reference.fundamentals_ttl_ns);
          }},
         {"news-ttl",
          [](std::string_view v, topology& t) {
            return set_duration(v, ns_per_s, 24 * ns_per_h, t.reference.news_ttl_ns);
          }},
         {"cache-entries",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 1'000'000, t.reference.cache_entries);
          }},
         {"news-lookback",
          [](std::string_view v, topology& t) {
            return set_duration(v, ns_per_h, 365 * 24 * ns_per_h,
                                t.reference.news_lookback_ns);
          }},
       }},
    },
    {},
  };
}

} // namespace tickflow::topo
