// [scheduler], [limits.<provider>] and [failover]: the rate-limit scheduler.

#include <algorithm>
#include <cctype>
#include <deque>

#include "pipeline/model/events.hpp"
#include "pipeline/model/text.hpp"
#include "pipeline/providers/provider_info.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

namespace {

constexpr uint64_t max_limit = 1'000'000'000;

/// The REST providers tickflow speaks, by name, in id order.
std::vector<std::string> rest_provider_names() {
  return provider_names([](const provider_info& p) { return p.rest; });
}

std::string listed(const std::vector<std::string>& xs) {
  std::string out;
  for (auto& x : xs)
    out += (out.empty() ? "" : ", ") + x;
  return out;
}

/// "a, b": REST providers, each once.
result<std::vector<std::string>> parse_chain(std::string_view s) {
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  std::vector<std::string> out;
  auto known = rest_provider_names();
  for (auto name : *items) {
    if (std::find(known.begin(), known.end(), name) == known.end())
      return bad("unknown REST provider " + quote_for_error(name) + " (known: "
                 + listed(known) + ")");
    if (std::find(out.begin(), out.end(), name) != out.end())
      return bad("provider " + quote_for_error(name) + " is listed twice");
    out.emplace_back(name);
  }
  return out;
}

/// "NAME=VALUE, ...": each side non-empty, each name once.
result<std::vector<std::pair<std::string_view, std::string_view>>>
parse_pairs(std::string_view s, std::string_view shape) {
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (auto item : *items) {
    auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return bad("entry " + quote_for_error(item) + " must be " + std::string{shape});
    auto name = trim_blanks(item.substr(0, eq));
    auto value = trim_blanks(item.substr(eq + 1));
    if (name.empty() || value.empty())
      return bad("entry " + quote_for_error(item) + " must be " + std::string{shape});
    for (auto& [n, v] : out)
      if (n == name)
        return bad(quote_for_error(name) + " is listed twice");
    out.emplace_back(name, value);
  }
  return out;
}

result<asset_class> parse_class(std::string_view s) {
  if (auto c = parse_asset_class(s))
    return *c;
  return bad("unknown asset class " + quote_for_error(s)
             + " (known: crypto, equity, forex, futures, index)");
}

/// "price=2, bars=2": fetch kinds and weights 1..1000000.
result<std::vector<std::pair<std::string, uint64_t>>> parse_weights(std::string_view s) {
  auto pairs = parse_pairs(s, "KIND=WEIGHT");
  if (!pairs)
    return std::move(pairs).err();
  std::vector<std::pair<std::string, uint64_t>> out;
  for (auto& [kind, weight] : *pairs) {
    if (kind != "price" && kind != "bars" && kind != "quote" && kind != "trades")
      return bad("unknown fetch kind " + quote_for_error(kind)
                 + " (known: price, bars, quote, trades)");
    auto w = parse_uint(weight, 1, 1'000'000);
    if (!w)
      return bad("weight of " + std::string{kind} + ": " + w.err().context);
    out.emplace_back(std::string{kind}, *w);
  }
  return out;
}

/// "BTC=crypto, ES=futures"
result<asset_class_overrides> parse_class_overrides(std::string_view s) {
  auto pairs = parse_pairs(s, "SYMBOL=CLASS");
  if (!pairs)
    return std::move(pairs).err();
  asset_class_overrides out;
  for (auto& [symbol, cls] : *pairs) {
    if (!is_canonical_instrument(symbol))
      return bad(quote_for_error(symbol) + " is not an upper-case symbol");
    auto c = parse_class(cls);
    if (!c)
      return std::move(c).err();
    out.emplace_back(std::string{symbol}, *c);
  }
  return out;
}

/// "PROVIDER=QUOTE, *=USD"
result<std::vector<std::pair<std::string, std::string>>> parse_quotes(std::string_view s) {
  auto pairs = parse_pairs(s, "PROVIDER=QUOTE");
  if (!pairs)
    return std::move(pairs).err();
  auto known = rest_provider_names();
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [p, q] : *pairs) {
    if (p != "*" && std::find(known.begin(), known.end(), p) == known.end())
      return bad("unknown REST provider " + quote_for_error(p));
    bool ok = !q.empty() && q.size() <= 10;
    for (char c : q)
      ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    if (!ok)
      return bad("quote asset " + quote_for_error(q) + " must be 1 to 10 of A-Z, 0-9");
    out.emplace_back(std::string{p}, std::string{q});
  }
  return out;
}

/// "crypto=USDT"
result<std::vector<std::pair<asset_class, std::string>>> parse_default_quotes(std::string_view s) {
  auto pairs = parse_pairs(s, "CLASS=QUOTE");
  if (!pairs)
    return std::move(pairs).err();
  std::vector<std::pair<asset_class, std::string>> out;
  for (auto& [cls, q] : *pairs) {
    auto c = parse_class(cls);
    if (!c)
      return std::move(c).err();
    bool ok = !q.empty() && q.size() <= 10;
    for (char ch : q)
      ok = ok && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'));
    if (!ok)
      return bad("quote asset " + quote_for_error(q) + " must be 1 to 10 of A-Z, 0-9");
    out.emplace_back(*c, std::string{q});
  }
  return out;
}

/// "crypto=5m, forex=1h"
result<std::vector<std::pair<asset_class, int64_t>>> parse_staleness(std::string_view s) {
  auto pairs = parse_pairs(s, "CLASS=DURATION");
  if (!pairs)
    return std::move(pairs).err();
  std::vector<std::pair<asset_class, int64_t>> out;
  for (auto& [cls, d] : *pairs) {
    auto c = parse_class(cls);
    if (!c)
      return std::move(c).err();
    auto ns = parse_duration(d, ns_per_s, 30 * 24 * ns_per_h);
    if (!ns)
      return bad("stale-after of " + std::string{cls} + ": " + ns.err().context);
    out.emplace_back(*c, *ns);
  }
  return out;
}

section_spec limits_section(const std::string& name) {
  auto of = [name](topology& t) -> provider_limits& {
    auto i = t.scheduler.limits.find(name);
    if (i == t.scheduler.limits.end())
      i = t.scheduler.limits.emplace(name, default_limits(name)).first;
    return i->second;
  };
  // The spec holds a string_view: the name lives in a table that never
  // moves its strings.
  static std::deque<std::string> names;
  names.push_back("limits." + name);
  return section_spec{
    names.back(),
    {
      {"per-second",
       [of](std::string_view v, topology& t) { return set_uint(v, 0, max_limit, of(t).per_second); }},
      {"per-minute",
       [of](std::string_view v, topology& t) { return set_uint(v, 0, max_limit, of(t).per_minute); }},
      {"per-day",
       [of](std::string_view v, topology& t) { return set_uint(v, 0, max_limit, of(t).per_day); }},
      {"burst",
       [of](std::string_view v, topology& t) { return set_uint(v, 0, 1'000'000, of(t).burst); }},
      {"concurrency",
       [of](std::string_view v, topology& t) { return set_uint(v, 1, 1024, of(t).concurrency); }},
      {"weights",
       [of](std::string_view v, topology& t) { return set_parsed(parse_weights(v), of(t).weights); }},
      {"batch-weight",
       [of](std::string_view v, topology& t) { return set_uint(v, 0, 1'000'000, of(t).batch_weight); }},
      {"max-batch",
       [of](std::string_view v, topology& t) { return set_uint(v, 1, 1000, of(t).max_batch); }},
      {"breaker-threshold",
       [of](std::string_view v, topology& t) {
         return set_uint(v, 0, 1'000'000, of(t).breaker.threshold);
       }},
      {"breaker-window",
       [of](std::string_view v, topology& t) {
         return set_duration(v, ns_per_ms, 24 * ns_per_h, of(t).breaker.window_ns);
       }},
      {"breaker-cooldown",
       [of](std::string_view v, topology& t) {
         return set_duration(v, ns_per_ms, 24 * ns_per_h, of(t).breaker.cooldown_ns);
       }},
    }};
}

result<void> set_chain(std::string_view v, topology& t, asset_class cls) {
  auto chain = parse_chain(v);
  if (!chain)
    return std::move(chain).err();
  auto& chains = t.scheduler.failover.chains;
  for (auto& [c, xs] : chains)
    if (c == cls) {
      xs = std::move(*chain);
      return {};
    }
  chains.emplace_back(cls, std::move(*chain));
  return {};
}

/// A limit that can never be met: one call weighs more than a window holds.
result<void> check_limits(const topology& t, const entry_index& set,
                          std::string_view source) {
  for (auto& [name, x] : t.scheduler.limits) {
    auto heaviest = std::max<uint64_t>(1, x.batch_weight);
    for (auto& [kind, w] : x.weights)
      heaviest = std::max(heaviest, w);
    struct window {
      const char* key;
      uint64_t limit;
    };
    for (auto w : {window{"per-second", x.per_second}, window{"per-minute", x.per_minute},
                   window{"per-day", x.per_day}}) {
      if (w.limit == 0 || w.limit >= heaviest)
        continue;
      auto what = "limits." + name + "." + w.key;
      auto e = lookup(set, what);
      return config_error(source, e ? e->line : 0, what,
                          "must be 0 (no limit) or at least the heaviest call's"
                          " weight (" + std::to_string(heaviest) + "), got "
                            + std::to_string(w.limit));
    }
    if (x.burst > 0 && x.burst < heaviest) {
      auto what = "limits." + name + ".burst";
      auto e = lookup(set, what);
      return config_error(source, e ? e->line : 0, what,
                          "must be 0 (off) or at least the heaviest call's weight ("
                            + std::to_string(heaviest) + "), got "
                            + std::to_string(x.burst));
    }
  }
  return {};
}

result<void> check_retry(const topology& t, const entry_index& set,
                         std::string_view source) {
  auto& r = t.scheduler.retry;
  if (r.backoff_min_ns <= r.backoff_max_ns)
    return {};
  std::string what = "scheduler.backoff-max";
  auto e = lookup(set, what);
  if (e == nullptr) {
    what = "scheduler.backoff-min";
    e = lookup(set, what);
  }
  return config_error(source, e ? e->line : 0, what,
                      "backoff-min (" + format_duration(r.backoff_min_ns)
                        + ") must be <= backoff-max ("
                        + format_duration(r.backoff_max_ns) + ")");
}

} // namespace

schema_extension scheduler_schema() {
  schema_extension out;
  out.sections.push_back(section_spec{
    "scheduler",
    {
      {"shared", [](std::string_view v, topology& t) { return set_bool(v, t.scheduler.shared); }},
      {"key-prefix",
       [](std::string_view v, topology& t) -> result<void> {
         bool ok = !v.empty() && v.size() <= 64;
         for (char c : v)
           if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'
                 || c == '.' || c == ':'))
             ok = false;
         if (!ok)
           return bad("must be 1 to 64 of A-Z, a-z, 0-9, '_', '-', '.', ':', got "
                      + quote_for_error(v));
         t.scheduler.key_prefix = std::string{v};
         return {};
       }},
      {"queue-bound",
       [](std::string_view v, topology& t) { return set_uint(v, 1, 1'000'000, t.scheduler.queue_bound); }},
      {"max-wait",
       [](std::string_view v, topology& t) {
         return set_duration(v, 0, 10 * 60 * ns_per_s, t.scheduler.max_wait_ns);
       }},
      {"failover-wait",
       [](std::string_view v, topology& t) {
         return set_duration(v, 0, 10 * 60 * ns_per_s, t.scheduler.failover_wait_ns);
       }},
      {"fresh-for",
       [](std::string_view v, topology& t) {
         return set_duration(v, 0, ns_per_h, t.scheduler.fresh_for_ns);
       }},
      {"fresh-entries",
       [](std::string_view v, topology& t) {
         return set_uint(v, 0, 10'000'000, t.scheduler.fresh_entries);
       }},
      {"max-retries",
       [](std::string_view v, topology& t) { return set_uint(v, 0, 10, t.scheduler.retry.max_retries); }},
      {"backoff-min",
       [](std::string_view v, topology& t) {
         return set_duration(v, ns_per_ms, ns_per_h, t.scheduler.retry.backoff_min_ns);
       }},
      {"backoff-max",
       [](std::string_view v, topology& t) {
         return set_duration(v, ns_per_ms, 24 * ns_per_h, t.scheduler.retry.backoff_max_ns);
       }},
      {"rate-limit-pause",
       [](std::string_view v, topology& t) {
         return set_duration(v, ns_per_ms, 24 * ns_per_h, t.scheduler.retry.rate_limit_pause_ns);
       }},
      {"ban-pause",
       [](std::string_view v, topology& t) {
         return set_duration(v, ns_per_ms, 7 * 24 * ns_per_h, t.scheduler.retry.ban_pause_ns);
       }},
    }});
  for (auto& name : rest_provider_names())
    out.sections.push_back(limits_section(name));
  out.sections.push_back(section_spec{
    "failover",
    {
      {"crypto", [](std::string_view v, topology& t) { return set_chain(v, t, asset_class::crypto); }},
      {"equity", [](std::string_view v, topology& t) { return set_chain(v, t, asset_class::equity); }},
      {"forex", [](std::string_view v, topology& t) { return set_chain(v, t, asset_class::forex); }},
      {"futures", [](std::string_view v, topology& t) { return set_chain(v, t, asset_class::futures); }},
      {"index", [](std::string_view v, topology& t) { return set_chain(v, t, asset_class::index); }},
      {"overrides",
       [](std::string_view v, topology& t) {
         return set_parsed(parse_class_overrides(v), t.scheduler.failover.overrides);
       }},
      {"quotes",
       [](std::string_view v, topology& t) {
         return set_parsed(parse_quotes(v), t.scheduler.failover.quotes);
       }},
      {"stale-after",
       [](std::string_view v, topology& t) {
         return set_parsed(parse_staleness(v), t.scheduler.failover.stale_after);
       }},
      {"default-quotes",
       [](std::string_view v, topology& t) {
         return set_parsed(parse_default_quotes(v), t.scheduler.failover.default_quotes);
       }},
    }});
  out.checks = {check_limits, check_retry};
  return out;
}

} // namespace tickflow::topo
