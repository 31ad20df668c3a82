// The providers area of the schema: [providers] and one [<provider>]
// section per REST provider, named by the provider registry
// (pipeline/providers/provider_info.hpp), and the random-walk feed's own
// [simulator].

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <utility>

#include "pipeline/model/events.hpp"
#include "pipeline/model/text.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"
#include "pipeline/providers/provider_info.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow {

namespace topo {

namespace {

/// Every provider name, in id order.
std::string known_providers() {
  std::string out;
  for (auto& p : provider_table()) {
    if (!out.empty())
      out += ", ";
    out.append(p.name);
  }
  return out;
}

result<std::vector<std::string>> parse_providers(std::string_view s) {
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  if (items->empty())
    return bad("must list at least one provider");
  std::vector<std::string> out;
  for (auto name : *items) {
    auto* p = find_provider(name);
    if (p == nullptr)
      return bad("unknown provider " + quote_for_error(name) + " (known: "
                 + known_providers() + ")");
    if (!p->selectable)
      return bad("provider " + quote_for_error(name)
                 + " is not implemented yet");
    if (std::find(out.begin(), out.end(), name) != out.end())
      return bad("provider " + quote_for_error(name) + " is listed twice");
    out.emplace_back(name);
  }
  return out;
}

result<std::vector<simulated_symbol>> parse_symbols(std::string_view s) {
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  if (items->empty())
    return bad("must list at least one INSTRUMENT:START_PRICE");
  std::vector<simulated_symbol> out;
  for (auto item : *items) {
    // Instrument ids may contain ':', so the price follows the last one.
    auto colon = item.rfind(':');
    if (colon == std::string_view::npos)
      return bad("entry " + quote_for_error(item)
                 + " must be INSTRUMENT:START_PRICE");
    auto id = trim_blanks(item.substr(0, colon));
    auto px = trim_blanks(item.substr(colon + 1));
    auto resolved = shape_resolver().resolve(id);
    if (!is_canonical_instrument(id) || resolved.status != resolve_status::ok)
      return bad(quote_for_error(id)
                 + " is not a canonical instrument id (1 to 32 of A-Z, 0-9,"
                   " '-', '.', '=', '_', '/', ':')");
    // The id REST and WebSocket clients resolve to ("EURUSD=X" -> "EUR-USD").
    id = resolved.canonical;
    auto price = decimal::parse(px);
    if (!price || !price->is_positive())
      return bad("start price of " + std::string{id}
                 + " must be a plain decimal > 0, got " + quote_for_error(px));
    for (auto& prev : out)
      if (prev.instrument == id)
        return bad("instrument " + quote_for_error(id) + " is listed twice");
    out.push_back(simulated_symbol{std::move(resolved.canonical), *price});
  }
  return out;
}

/// Events per second: a plain decimal in (0, 1e6].
result<double> parse_rate(std::string_view s) {
  auto d = decimal::parse(s);
  if (!d || !d->is_positive()
      || decimal::compare(*d, decimal::from_parts(1'000'000, 0)) > 0)
    return bad("must be a number > 0 and <= 1000000, got "
               + quote_for_error(s));
  return d->to_double();
}

/// The section of one REST provider; setters fill t.rest_providers[name].
section_spec rest_provider_section(std::string_view name) {
  std::string n{name};
  auto of = [n](topology& t) -> rest_provider_settings& {
    auto& x = t.rest_providers[n];
    x.name = n;
    return x;
  };
  return section_spec{
    name,
    {
      {"base-url",
       [of](std::string_view v, topology& t) -> result<void> {
         if (auto ok = check_base_url(v); !ok)
           return ok;
         auto url = std::string{v};
         while (!url.empty() && url.back() == '/')
           url.pop_back();
         of(t).base_url = url;
         return {};
       }},
      {"api-key-env",
       [of](std::string_view v, topology& t) -> result<void> {
         for (char c : v)
           if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
             return bad("must be an environment variable name (letters, digits, _), got "
                        + quote_for_error(v));
         of(t).api_key_env = std::string{v};
         return {};
       }},
      {"timeout",
       [of](std::string_view v, topology& t) {
         return set_duration(v, ns_per_ms, 10 * 60 * ns_per_s, of(t).timeout_ns);
       }},
      {"connect-timeout",
       [of](std::string_view v, topology& t) {
         return set_duration(v, ns_per_ms, 60 * ns_per_s, of(t).connect_timeout_ns);
       }},
      {"max-body-bytes",
       [of](std::string_view v, topology& t) {
         return set_uint(v, kib, 1024 * mib, of(t).max_body_bytes);
       }},
      {"symbols",
       [of](std::string_view v, topology& t) {
         return set_parsed(parse_overrides(v), of(t).symbol_overrides);
       }},
    }};
}

} // namespace

std::vector<section_spec> provider_sections() {
  return {
    {"providers",
     {
       {"enabled",
        [](std::string_view v, topology& t) {
          return set_parsed(parse_providers(v), t.providers);
        }},
     }},
    {"simulator",
     {
       {"symbols",
        [](std::string_view v, topology& t) {
          return set_parsed(parse_symbols(v), t.simulator.symbols);
        }},
       {"tick-size",
        [](std::string_view v, topology& t) {
          return set_parsed(parse_positive_decimal(v), t.simulator.tick_size);
        }},
       {"lot-size",
        [](std::string_view v, topology& t) {
          return set_parsed(parse_positive_decimal(v), t.simulator.lot_size);
        }},
       {"max-lots",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 1'000'000, t.simulator.max_lots);
        }},
       {"max-step-ticks",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 1'000, t.simulator.max_step_ticks);
        }},
       {"trades-per-second",
        [](std::string_view v, topology& t) {
          return set_parsed(parse_rate(v), t.simulator.trades_per_second);
        }},
       {"seed",
        [](std::string_view v, topology& t) {
          return set_uint(v, 0, std::numeric_limits<uint64_t>::max(),
                          t.simulator.seed);
        }},
       {"bar-intervals",
        [](std::string_view v, topology& t) {
          return set_parsed(parse_intervals(v), t.simulator.bar_intervals);
        }},
       {"timer",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, ns_per_h, t.simulator.timer_ns);
        }},
       {"quotes",
        [](std::string_view v, topology& t) { return set_bool(v, t.simulator.quotes); }},
     }},
  };
}

std::vector<section_spec> rest_provider_sections() {
  std::vector<section_spec> out;
  for (auto& p : provider_table())
    if (p.selectable && p.rest)
      out.push_back(rest_provider_section(p.name));
  return out;
}

result<void> check_simulator(const topology& t, const entry_index& set,
                             std::string_view source) {
  auto on = std::find(t.providers.begin(), t.providers.end(), "simulator");
  if (on == t.providers.end() || !t.simulator.symbols.empty())
    return {};
  auto e = lookup(set, "providers.enabled");
  return config_error(source, 0, "simulator.symbols",
                      e ? "required because providers.enabled (line "
                            + std::to_string(e->line)
                            + ") lists simulator"
                        : std::string{"required because the simulator"
                                      " provider is enabled by default"});
}

result<void> check_rest_providers(const topology& t, const entry_index& set,
                                  std::string_view source) {
  for (auto& name : t.providers) {
    if (!is_rest_provider(name))
      continue;
    auto i = t.rest_providers.find(name);
    if (i != t.rest_providers.end() && !i->second.base_url.empty())
      continue;
    auto e = lookup(set, "providers.enabled");
    return config_error(source, 0, name + ".base-url",
                        "required because providers.enabled"
                          + (e ? " (line " + std::to_string(e->line) + ")"
                               : std::string{})
                          + " lists " + name);
  }
  return {};
}

} // namespace topo

bool is_rest_provider(std::string_view name) noexcept {
  auto* p = find_provider(name);
  return p != nullptr && p->rest;
}

std::vector<rest_provider_settings> topology::enabled_rest_providers() const {
  std::vector<rest_provider_settings> out;
  for (auto& name : providers)
    if (auto i = rest_providers.find(name); i != rest_providers.end())
      out.push_back(i->second);
  return out;
}

} // namespace tickflow
