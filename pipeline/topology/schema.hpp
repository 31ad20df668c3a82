#pragma once

// The building blocks of the configuration schema, shared by topology.cpp
// and the per-area schema files (topology_<area>.cpp). Each area contributes
// its sections and cross-key checks through a schema_extension, so adding a
// section never means editing another area's file.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/model/decimal.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/interval.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/topology/ini.hpp"
#include "pipeline/topology/topology.hpp"

namespace tickflow::topo {

inline constexpr int64_t ns_per_h = 3600 * ns_per_s;
inline constexpr uint64_t kib = 1024;
inline constexpr uint64_t mib = 1024 * kib;

// -- value parsers ------------------------------------------------------------
// Each returns the value or config_invalid whose context is the problem only
// (the loader prefixes "<source>:<line>: <section>.<key>: ").

/// A problem with one value: config_invalid with only the problem as context.
error bad(std::string problem);
/// "list has an empty item: ..."
error empty_item(std::string_view value);
/// "1h", "30s", "100ms", ...: the biggest unit that divides ns exactly.
std::string format_duration(int64_t ns);
/// Splits "a, b ,c" into trimmed items; nullopt when an item is empty.
std::optional<std::vector<std::string_view>> split_list(std::string_view s);
/// Decimal digits only, within lo..hi.
result<uint64_t> parse_uint(std::string_view s, uint64_t lo, uint64_t hi);
/// Integer plus unit (ns, us, ms, s, m, h) within lo_ns..hi_ns; in ns.
result<int64_t> parse_duration(std::string_view s, int64_t lo_ns, int64_t hi_ns);
/// A plain decimal number in [lo, hi] (no exponent), as a double.
result<double> parse_number(std::string_view s, double lo, double hi);
/// true | false
result<bool> parse_bool(std::string_view s);
/// A plain decimal > 0.
result<decimal> parse_positive_decimal(std::string_view s);
/// "1m, 1h": interval names.
result<std::vector<interval>> parse_intervals(std::string_view s);
/// Comma-separated http(s) URLs.
result<std::vector<std::string>> parse_urls(std::string_view s);
/// "CANONICAL=PROVIDER_SYMBOL, ..."
result<std::vector<std::pair<std::string, std::string>>>
parse_overrides(std::string_view s);
/// An http:// or https:// URL with a host and no query.
result<void> check_base_url(std::string_view s);
/// A bind address (IPv4/IPv6 literal or localhost).
result<void> check_bind(std::string_view s);
/// True when listening on both bind addresses would clash (equal, or one is
/// a wildcard covering the other; "::" covers IPv4 too on a dual-stack host).
bool binds_overlap(std::string_view a, std::string_view b);
/// An absolute URL path ("/api/v1/stream").
result<void> check_url_path(std::string_view s);

/// One of the names; returns its index.
template <size_t N>
result<size_t> parse_choice(std::string_view s,
                            const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i)
    if (s == names[i])
      return i;
  std::string all;
  for (size_t i = 0; i < N; ++i) {
    if (i > 0)
      all += '|';
    all.append(names[i]);
  }
  return bad("must be one of " + all + ", got " + quote_for_error(s));
}

// -- setters ------------------------------------------------------------------

template <class T>
result<void> set_uint(std::string_view s, uint64_t lo, uint64_t hi, T& out) {
  auto v = parse_uint(s, lo, hi);
  if (!v)
    return std::move(v).err();
  out = static_cast<T>(*v);
  return {};
}

template <class T>
result<void> set_parsed(result<T> v, T& out) {
  if (!v)
    return std::move(v).err();
  out = std::move(*v);
  return {};
}

result<void> set_duration(std::string_view s, int64_t lo, int64_t hi, int64_t& out);
result<void> set_bind(std::string_view s, std::string& out);
result<void> set_bool(std::string_view s, bool& out);
result<void> set_host(std::string_view s, std::string& out);
result<void> set_dir(std::string_view s, std::string& out);
result<void> set_env_name(std::string_view s, std::string& out);

// -- the schema ---------------------------------------------------------------

using setter = std::function<result<void>(std::string_view value, topology& t)>;

struct key_spec {
  std::string_view name;
  setter apply;
};

struct section_spec {
  std::string_view name;
  std::vector<key_spec> keys;

  const key_spec* find(std::string_view key) const noexcept {
    for (auto& k : keys)
      if (k.name == key)
        return &k;
    return nullptr;
  }
};

/// Where each "section.key" was set in the file.
using entry_index = std::map<std::string, const ini_entry*, std::less<>>;

/// The entry set for "section.key", or nullptr.
const ini_entry* lookup(const entry_index& set, std::string_view key);

/// "<source>:<line>: <what>: <problem>", or without ":<line>" when line is 0.
error config_error(std::string_view source, size_t line, std::string_view what,
                   std::string_view problem);

/// A check spanning keys, run after every entry was applied.
using cross_check = result<void> (*)(const topology&, const entry_index&,
                                     std::string_view source);

/// What one area adds to the schema.
struct schema_extension {
  std::vector<section_spec> sections;
  std::vector<cross_check> checks;
};

// -- the core sections, in their own files ------------------------------------
// topology.cpp puts them in the schema after [alerts], in this order; the
// areas' extensions come last.

/// [providers], [simulator] (topology_providers.cpp).
std::vector<section_spec> provider_sections();
/// [redis], [storage] (topology_storage.cpp).
std::vector<section_spec> storage_sections();
/// [validator.<rule>] of every rule, in rule order (topology_rules.cpp).
std::vector<section_spec> rule_sections();
/// [<provider>] of every REST provider, in id order (topology_providers.cpp).
std::vector<section_spec> rest_provider_sections();

/// simulator.symbols is required when the simulator is enabled.
result<void> check_simulator(const topology& t, const entry_index& set,
                             std::string_view source);
/// Every enabled REST provider has its base-url.
result<void> check_rest_providers(const topology& t, const entry_index& set,
                                  std::string_view source);
/// The two writers' journals are apart.
result<void> check_journal_dirs(const topology& t, const entry_index& set,
                                std::string_view source);

// One per area, each in its own file (pipeline/topology/topology_<area>.cpp).
schema_extension streams_schema();   ///< [stream.*], [capture], [replay]
schema_extension scheduler_schema(); ///< [scheduler], [limits.*], [failover]
schema_extension access_schema();    ///< [auth], [webhooks], [limits]
schema_extension jobs_schema();      ///< [jobs], [watchlist]
schema_extension reference_schema(); ///< [reference]: fundamentals and news
schema_extension instruments_schema(); ///< [instruments]: providers' reference lists
schema_extension indicators_schema(); ///< [indicators]: technical indicators
schema_extension cluster_schema();    ///< [cluster]: node id, pub/sub between nodes
/// Memory bounds added to [gateway], [broadcaster] and [validator]: an
/// area's section of the same name as another's adds keys to it.
schema_extension limits_schema();

} // namespace tickflow::topo
