#include "pipeline/ratelimit/failover.hpp"

#include <algorithm>
#include <tuple>

#include "pipeline/providers/provider_info.hpp"

namespace tickflow {

failover_chains default_failover_chains() {
  // (class, rank, id) of every place, sorted: classes in enum order, then
  // rank, then id for equal ranks.
  std::vector<std::tuple<asset_class, int, provider>> places;
  for (auto& p : provider_table())
    for (auto& at : p.failover)
      places.emplace_back(at.cls, at.rank, p.id);
  std::sort(places.begin(), places.end());
  failover_chains out;
  for (auto& [cls, rank, id] : places) {
    if (out.empty() || out.back().first != cls)
      out.emplace_back(cls, std::vector<std::string>{});
    out.back().second.emplace_back(to_string(id));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> default_quote_assets() {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& p : provider_table())
    if (p.crypto_quote != "USD")
      out.emplace_back(p.name, p.crypto_quote);
  out.emplace_back("*", "USD");
  return out;
}

std::string instrument_for(const failover_settings& s, const detected_symbol& d,
                           std::string_view provider) {
  if (!d.bare)
    return d.canonical;
  std::string quote = "USD";
  for (auto& [p, q] : s.quotes)
    if (p == provider) {
      quote = q;
      break;
    } else if (p == "*") {
      quote = q; // keep looking for the provider's own
    }
  return d.canonical + "-" + quote;
}

resolved_chain resolve_chain(const failover_settings& s, std::string_view symbol,
                             const std::vector<std::string>& enabled,
                             std::string_view only) {
  resolved_chain out;
  out.symbol = detect_symbol(symbol, s.overrides);
  auto add = [&](const std::string& p) {
    out.steps.push_back(chain_step{p, instrument_for(s, out.symbol, p)});
  };
  auto is_enabled = [&](std::string_view p) {
    return std::find(enabled.begin(), enabled.end(), p) != enabled.end();
  };
  if (!only.empty()) {
    if (is_enabled(only))
      add(std::string{only});
    return out;
  }
  for (auto& [cls, chain] : s.chains)
    if (cls == out.symbol.cls)
      for (auto& p : chain)
        if (is_enabled(p))
          add(p);
  if (out.steps.empty())
    for (auto& p : enabled)
      add(p);
  return out;
}

int64_t stale_after_ns(const failover_settings& s, asset_class cls) noexcept {
  for (auto& [c, ns] : s.stale_after)
    if (c == cls)
      return ns;
  return 0;
}

std::vector<std::string> serving_bars(const std::vector<std::string>& names,
                                      bool adjusted, asset_class cls) {
  std::vector<std::string> out;
  for (auto& n : names) {
    auto* p = find_provider(n);
    if (p == nullptr)
      continue;
    if (cls != asset_class::equity || (adjusted ? p->adjusted_bars : p->raw_bars))
      out.push_back(n);
  }
  return out;
}

} // namespace tickflow
