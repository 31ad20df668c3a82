// [indicators]: see indicators_settings.hpp.

#include "pipeline/indicators/indicator_spec.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

namespace {

/// The default limit cannot exceed what one request may read.
result<void> check_limits(const topology& t, const entry_index& set,
                          std::string_view source) {
  auto& s = t.indicators;
  if (s.default_limit <= s.max_bars)
    return {};
  std::string what = "indicators.default-limit";
  auto e = lookup(set, what);
  return config_error(source, e ? e->line : 0, what,
                        "must not exceed indicators.max-bars ("
                          + std::to_string(s.max_bars) + ")");
}

} // namespace

schema_extension indicators_schema() {
  return {
    {
      {"indicators",
       {
         {"enabled",
          [](std::string_view v, topology& t) { return set_bool(v, t.indicators.enabled); }},
         {"max-period",
          [](std::string_view v, topology& t) {
            return set_uint(v, 2, indicators::period_ceiling, t.indicators.max_period);
          }},
         {"max-bars",
          [](std::string_view v, topology& t) {
            return set_uint(v, 10, 100000, t.indicators.max_bars);
          }},
         {"default-limit",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 100000, t.indicators.default_limit);
          }},
         {"live",
          [](std::string_view v, topology& t) { return set_bool(v, t.indicators.live); }},
         {"seed-bars",
          [](std::string_view v, topology& t) {
            return set_uint(v, 0, 100000, t.indicators.seed_bars);
          }},
       }},
    },
    {check_limits},
  };
}

} // namespace tickflow::topo
