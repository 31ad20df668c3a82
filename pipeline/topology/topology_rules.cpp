// The validator rules' sections of the schema: [validator.<rule>] for every
// rule (switch, action, weight, and the rule's own thresholds).

#include <algorithm>
#include <map>
#include <string>

#include "pipeline/model/text.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

namespace {

/// INI name of a rule: its snake_case name in kebab-case.
std::string kebab(std::string_view snake) {
  std::string out{snake};
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

/// "BTC-USDT:10s, AAPL:0s": per-instrument durations.
result<std::map<std::string, int64_t, std::less<>>>
parse_cadences(std::string_view s) {
  std::map<std::string, int64_t, std::less<>> out;
  if (trim_blanks(s).empty())
    return out;
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  for (auto item : *items) {
    auto colon = item.rfind(':');
    if (colon == std::string_view::npos)
      return bad("expected INSTRUMENT:DURATION, got " + quote_for_error(item));
    auto id = trim_blanks(item.substr(0, colon));
    if (!is_canonical_instrument(id))
      return bad(quote_for_error(id) + " is not a canonical instrument id");
    auto d = parse_duration(trim_blanks(item.substr(colon + 1)), 0, 24 * ns_per_h);
    if (!d)
      return std::move(d).err();
    out.emplace(std::string{id}, *d);
  }
  return out;
}

/// The section [validator.<rule>]: switch, action, weight, plus the rule's
/// own thresholds.
section_spec rule_section(rule r) {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> xs;
    for (size_t i = 0; i < rule_count; ++i)
      xs.push_back("validator." + kebab(to_string(static_cast<rule>(i))));
    return xs;
  }();
  auto of = [r](topology& t) -> rule_setting& { return t.validator.rules.of(r); };
  section_spec spec{
    names[index_of(r)],
    {
      {"enabled",
       [of](std::string_view v, topology& t) -> result<void> {
         auto b = parse_bool(v);
         if (!b)
           return std::move(b).err();
         of(t).enabled = *b;
         return {};
       }},
      {"action",
       [of](std::string_view v, topology& t) -> result<void> {
         auto a = rule_action_from_string(v);
         if (!a)
           return bad("must be one of drop|flag|pass, got " + quote_for_error(v));
         of(t).action = *a;
         return {};
       }},
      {"weight",
       [of](std::string_view v, topology& t) { return set_uint(v, 0, 100, of(t).weight); }},
    }};
  auto add = [&](std::string_view key, setter fn) { spec.keys.push_back({key, std::move(fn)}); };
  switch (r) {
    case rule::outlier_zscore:
    case rule::outlier_mad: {
      bool z = r == rule::outlier_zscore;
      add("window", [z](std::string_view v, topology& t) {
        auto& rs = t.validator.rules;
        return set_uint(v, 2, 100'000, z ? rs.zscore.window : rs.mad.window);
      });
      add("threshold", [z](std::string_view v, topology& t) {
        auto& rs = t.validator.rules;
        return set_parsed(parse_number(v, 0.1, 1000),
                          z ? rs.zscore.threshold : rs.mad.threshold);
      });
      add("min-samples", [z](std::string_view v, topology& t) {
        auto& rs = t.validator.rules;
        return set_uint(v, 2, 100'000,
                        z ? rs.zscore.min_samples : rs.mad.min_samples);
      });
      break;
    }
    case rule::divergence:
      add("max-spread", [](std::string_view v, topology& t) {
        return set_parsed(parse_number(v, 0.000001, 10),
                          t.validator.rules.divergence.max_spread);
      });
      add("window", [](std::string_view v, topology& t) {
        return set_duration(v, ns_per_ms, 24 * ns_per_h,
                            t.validator.rules.divergence.window_ns);
      });
      add("min-providers", [](std::string_view v, topology& t) {
        return set_uint(v, 2, 100, t.validator.rules.divergence.min_providers);
      });
      break;
    case rule::stale_symbol:
      add("default-cadence", [](std::string_view v, topology& t) {
        return set_duration(v, 0, 24 * ns_per_h,
                            t.validator.rules.stale_symbols.default_cadence_ns);
      });
      add("cadence", [](std::string_view v, topology& t) {
        return set_parsed(parse_cadences(v), t.validator.rules.stale_symbols.cadence_ns);
      });
      break;
    default:
      break;
  }
  return spec;
}

} // namespace

std::vector<section_spec> rule_sections() {
  std::vector<section_spec> out;
  for (size_t i = 0; i < rule_count; ++i)
    out.push_back(rule_section(static_cast<rule>(i)));
  return out;
}

} // namespace tickflow::topo
