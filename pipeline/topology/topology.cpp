#include "pipeline/topology/topology.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "pipeline/model/events.hpp"
#include "pipeline/model/provider.hpp"
#include "pipeline/model/text.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/providers/provider_info.hpp"
#include "pipeline/topology/ini.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow {

namespace topo {

// -- small helpers ------------------------------------------------------------

/// A problem with one value: config_invalid with only the problem as context.
error bad(std::string problem) {
  return error{errc::config_invalid, std::move(problem)};
}

std::string fmt_number(double x) {
  auto text = std::to_string(x);
  while (text.find('.') != std::string::npos && (text.back() == '0' || text.back() == '.'))
    text.pop_back();
  return text;
}

/// Splits "a, b ,c" into trimmed items; nullopt when an item is empty
/// ("a,,b", "a,"). An empty or blank text gives an empty list.
std::optional<std::vector<std::string_view>> split_list(std::string_view s) {
  std::vector<std::string_view> out;
  if (trim_blanks(s).empty())
    return out;
  size_t pos = 0;
  while (true) {
    auto comma = s.find(',', pos);
    auto item = trim_blanks(s.substr(pos, comma == std::string_view::npos
                                     ? std::string_view::npos
                                     : comma - pos));
    if (item.empty())
      return std::nullopt;
    out.push_back(item);
    if (comma == std::string_view::npos)
      return out;
    pos = comma + 1;
  }
}

error empty_item(std::string_view value) {
  return bad("list has an empty item: " + quote_for_error(value));
}

/// "1h", "30s", "100ms", ...: the biggest unit that divides ns exactly.
std::string format_duration(int64_t ns) {
  struct unit {
    int64_t ns;
    const char* suffix;
  };
  static constexpr unit units[] = {
    {ns_per_h, "h"},  {60 * ns_per_s, "m"}, {ns_per_s, "s"},
    {ns_per_ms, "ms"}, {ns_per_us, "us"},        {1, "ns"},
  };
  for (auto& u : units)
    if (ns != 0 && ns % u.ns == 0)
      return std::to_string(ns / u.ns) + u.suffix;
  return std::to_string(ns) + "ns";
}

/// Levenshtein distance, for "did you mean" hints.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

/// " (did you mean X?)" for the closest name within 2 edits, else
/// " (known: a, b, c)".
template <class Names, class Render>
std::string hint(std::string_view wrong, const Names& names, Render render) {
  size_t best = 3;
  std::string_view best_name;
  for (auto& n : names) {
    auto d = edit_distance(wrong, n.name);
    if (d < best) {
      best = d;
      best_name = n.name;
    }
  }
  if (!best_name.empty())
    return " (did you mean " + render(best_name) + "?)";
  std::string out = " (known: ";
  bool first = true;
  for (auto& n : names) {
    if (!first)
      out += ", ";
    first = false;
    out.append(n.name);
  }
  out += ')';
  return out;
}

// -- value parsers ------------------------------------------------------------
// Each returns the value or config_invalid whose context is the problem only
// (the caller prefixes "<source>:<line>: <section>.<key>: ").

/// Decimal digits only, within lo..hi.
result<uint64_t> parse_uint(std::string_view s, uint64_t lo, uint64_t hi) {
  auto fail = [&] {
    return bad("must be an integer in " + std::to_string(lo) + ".."
               + std::to_string(hi) + ", got " + quote_for_error(s));
  };
  if (s.empty())
    return fail();
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return fail();
    auto d = static_cast<uint64_t>(c - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10)
      return fail();
    v = v * 10 + d;
  }
  if (v < lo || v > hi)
    return fail();
  return v;
}

/// Integer plus unit (ns, us, ms, s, m, h) within lo_ns..hi_ns; in ns.
result<int64_t> parse_duration(std::string_view s, int64_t lo_ns,
                               int64_t hi_ns) {
  auto fail = [&] {
    return bad("must be a duration in " + format_duration(lo_ns) + ".."
               + format_duration(hi_ns)
               + " (an integer and a unit: ns, us, ms, s, m, h), got "
               + quote_for_error(s));
  };
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9')
    ++digits;
  if (digits == 0 || digits > 18)
    return fail();
  int64_t count = 0;
  for (size_t i = 0; i < digits; ++i)
    count = count * 10 + (s[i] - '0');
  auto unit = s.substr(digits);
  int64_t scale = 0;
  if (unit == "ns")
    scale = 1;
  else if (unit == "us")
    scale = ns_per_us;
  else if (unit == "ms")
    scale = ns_per_ms;
  else if (unit == "s")
    scale = ns_per_s;
  else if (unit == "m")
    scale = 60 * ns_per_s;
  else if (unit == "h")
    scale = ns_per_h;
  else
    return fail();
  if (count > std::numeric_limits<int64_t>::max() / scale)
    return fail();
  auto ns = count * scale;
  if (ns < lo_ns || ns > hi_ns)
    return fail();
  return ns;
}


/// A plain decimal > 0 (decimal::parse syntax).
result<decimal> parse_positive_decimal(std::string_view s) {
  auto d = decimal::parse(s);
  if (!d || !d->is_positive())
    return bad("must be a plain decimal > 0, got " + quote_for_error(s));
  return *d;
}

// -- addresses ----------------------------------------------------------------

/// A numeric IP address; IPv4 is kept in the first 4 bytes.
struct ip_address {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};

  bool is_any() const noexcept {
    auto n = v6 ? 16u : 4u;
    for (size_t i = 0; i < n; ++i)
      if (bytes[i] != 0)
        return false;
    return true;
  }

  friend bool operator==(const ip_address& a, const ip_address& b) noexcept {
    return a.v6 == b.v6 && a.bytes == b.bytes;
  }
};

/// Dotted quad, each part 0..255 without leading zeros.
std::optional<ip_address> parse_ipv4(std::string_view s) {
  ip_address out;
  for (size_t part = 0; part < 4; ++part) {
    auto dot = s.find('.');
    if ((part < 3) == (dot == std::string_view::npos))
      return std::nullopt;
    auto p = s.substr(0, dot);
    if (p.empty() || p.size() > 3 || (p.size() > 1 && p[0] == '0'))
      return std::nullopt;
    unsigned v = 0;
    for (char c : p) {
      if (c < '0' || c > '9')
        return std::nullopt;
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
    if (v > 255)
      return std::nullopt;
    out.bytes[part] = static_cast<uint8_t>(v);
    s = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  }
  return out;
}

/// Colon-separated hex groups; the last one may be a dotted quad.
bool parse_ipv6_groups(std::string_view s, bool v4_tail,
                       std::vector<uint16_t>& out) {
  if (s.empty())
    return true;
  size_t pos = 0;
  while (true) {
    auto colon = s.find(':', pos);
    auto g = s.substr(pos, colon == std::string_view::npos
                             ? std::string_view::npos
                             : colon - pos);
    if (colon == std::string_view::npos && v4_tail
        && g.find('.') != std::string_view::npos) {
      auto v4 = parse_ipv4(g);
      if (!v4)
        return false;
      out.push_back(static_cast<uint16_t>(v4->bytes[0] << 8 | v4->bytes[1]));
      out.push_back(static_cast<uint16_t>(v4->bytes[2] << 8 | v4->bytes[3]));
      return true;
    }
    if (g.empty() || g.size() > 4)
      return false;
    unsigned v = 0;
    for (char c : g) {
      unsigned d;
      if (c >= '0' && c <= '9')
        d = static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        d = static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        d = static_cast<unsigned>(c - 'A' + 10);
      else
        return false;
      v = v * 16 + d;
    }
    out.push_back(static_cast<uint16_t>(v));
    if (colon == std::string_view::npos)
      return true;
    pos = colon + 1;
  }
}

/// RFC 4291 text form without zone id or brackets.
std::optional<ip_address> parse_ipv6(std::string_view s) {
  std::vector<uint16_t> head;
  std::vector<uint16_t> tail;
  auto gap = s.find("::");
  if (gap == std::string_view::npos) {
    if (!parse_ipv6_groups(s, true, head) || head.size() != 8)
      return std::nullopt;
  } else {
    if (!parse_ipv6_groups(s.substr(0, gap), false, head)
        || !parse_ipv6_groups(s.substr(gap + 2), true, tail)
        || head.size() + tail.size() > 7)
      return std::nullopt;
  }
  ip_address out;
  out.v6 = true;
  auto put = [&](size_t i, uint16_t g) {
    out.bytes[2 * i] = static_cast<uint8_t>(g >> 8);
    out.bytes[2 * i + 1] = static_cast<uint8_t>(g & 0xff);
  };
  for (size_t i = 0; i < head.size(); ++i)
    put(i, head[i]);
  for (size_t i = 0; i < tail.size(); ++i)
    put(8 - tail.size() + i, tail[i]);
  return out;
}

/// The addresses a bind text stands for ("localhost" is both loopbacks).
std::vector<ip_address> bind_addresses(std::string_view s) {
  if (s == "localhost") {
    ip_address v4;
    v4.bytes = {127, 0, 0, 1};
    ip_address v6;
    v6.v6 = true;
    v6.bytes[15] = 1;
    return {v4, v6};
  }
  if (auto a = parse_ipv4(s))
    return {*a};
  if (auto a = parse_ipv6(s))
    return {*a};
  return {};
}

result<void> check_bind(std::string_view s) {
  if (bind_addresses(s).empty())
    return bad("must be an IPv4 or IPv6 address literal or \"localhost\","
               " got " + quote_for_error(s));
  return {};
}

/// True when listening on both would clash (equal, or one is a wildcard
/// covering the other; "::" covers IPv4 too on a dual-stack host).
bool binds_overlap(std::string_view a, std::string_view b) {
  for (auto& x : bind_addresses(a))
    for (auto& y : bind_addresses(b))
      if (x == y || (x.v6 && x.is_any()) || (y.v6 && y.is_any())
          || (!x.v6 && !y.v6 && (x.is_any() || y.is_any())))
        return true;
  return false;
}

result<void> check_url_path(std::string_view s) {
  bool ok = !s.empty() && s.front() == '/';
  for (char c : s)
    if (c <= ' ' || c == 0x7f || c == '?' || c == '#')
      ok = false;
  if (!ok)
    return bad("must be a URL path starting with '/' (no blanks, '?' or"
               " '#'), got " + quote_for_error(s));
  return {};
}

// -- lists --------------------------------------------------------------------

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
    if (!is_canonical_instrument(id))
      return bad(quote_for_error(id)
                 + " is not a canonical instrument id (1 to 32 of A-Z, 0-9,"
                   " '-', '.', '=', '_', '/', ':')");
    auto price = decimal::parse(px);
    if (!price || !price->is_positive())
      return bad("start price of " + std::string{id}
                 + " must be a plain decimal > 0, got " + quote_for_error(px));
    for (auto& prev : out)
      if (prev.instrument == id)
        return bad("instrument " + quote_for_error(id) + " is listed twice");
    out.push_back(simulated_symbol{std::string{id}, *price});
  }
  return out;
}

std::string known_intervals() {
  std::string out;
  for (auto i = static_cast<int>(interval::s1);
       i <= static_cast<int>(interval::mo1); ++i) {
    if (!out.empty())
      out += ", ";
    out.append(to_string(static_cast<interval>(i)));
  }
  return out;
}

result<std::vector<interval>> parse_intervals(std::string_view s) {
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  if (items->empty())
    return bad("must list at least one interval");
  std::vector<interval> out;
  for (auto name : *items) {
    auto iv = parse_interval(name);
    if (!iv)
      return bad("unknown interval " + quote_for_error(name) + " (known: "
                 + known_intervals() + ")");
    if (std::find(out.begin(), out.end(), *iv) != out.end())
      return bad("interval " + quote_for_error(name) + " is listed twice");
    out.push_back(*iv);
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

// -- setters ------------------------------------------------------------------


result<void> set_duration(std::string_view s, int64_t lo, int64_t hi,
                          int64_t& out) {
  auto v = parse_duration(s, lo, hi);
  if (!v)
    return std::move(v).err();
  out = *v;
  return {};
}

result<void> set_bind(std::string_view s, std::string& out) {
  auto ok = check_bind(s);
  if (ok)
    out = std::string{s};
  return ok;
}


// -- the schema ---------------------------------------------------------------


result<void> check_base_url(std::string_view s) {
  auto scheme_end = s.find("://");
  auto scheme = s.substr(0, scheme_end == std::string_view::npos ? 0 : scheme_end);
  if (scheme != "http" && scheme != "https")
    return bad("must be an http:// or https:// URL, got " + quote_for_error(s));
  auto rest = s.substr(scheme_end + 3);
  if (rest.empty() || rest.front() == '/' || rest.find_first_of(" \t?#") != std::string_view::npos)
    return bad("must be a URL with a host and no query, got " + quote_for_error(s));
  return {};
}

/// "CANONICAL=PROVIDER_SYMBOL, ..." (e.g. "PEPE-USD=pepe").
result<std::vector<std::pair<std::string, std::string>>>
parse_overrides(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  if (trim_blanks(s).empty())
    return out;
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  for (auto item : *items) {
    auto eq = item.find('=');
    if (eq == std::string_view::npos)
      return bad("expected CANONICAL=PROVIDER_SYMBOL, got " + quote_for_error(item));
    auto canonical = trim_blanks(item.substr(0, eq));
    auto theirs = trim_blanks(item.substr(eq + 1));
    if (!is_canonical_instrument(canonical))
      return bad(quote_for_error(canonical) + " is not a canonical instrument id");
    if (theirs.empty())
      return bad("empty provider symbol for " + quote_for_error(canonical));
    out.emplace_back(std::string{canonical}, std::string{theirs});
  }
  return out;
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

/// A plain decimal number in [lo, hi] (no exponent), as a double.
result<double> parse_number(std::string_view s, double lo, double hi) {
  auto d = decimal::parse(s);
  if (!d || d->to_double() < lo || d->to_double() > hi)
    return bad("must be a number in " + fmt_number(lo) + ".." + fmt_number(hi)
               + ", got " + quote_for_error(s));
  return d->to_double();
}

result<bool> parse_bool(std::string_view s) {
  if (s == "true")
    return true;
  if (s == "false")
    return false;
  return bad("must be true or false, got " + quote_for_error(s));
}

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

/// Comma-separated http(s) URLs.
result<std::vector<std::string>> parse_urls(std::string_view s) {
  std::vector<std::string> out;
  if (trim_blanks(s).empty())
    return out;
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  for (auto item : *items) {
    if (auto ok = check_base_url(item.substr(0, item.find('/', item.find("://") + 3))); !ok)
      return ok.err();
    out.emplace_back(item);
  }
  return out;
}

// -- redis and storage --------------------------------------------------------

constexpr std::array<std::string_view, 2> journal_policies{"reject-new",
                                                           "drop-oldest"};
constexpr std::array<std::string_view, 3> fsync_names{"always", "interval",
                                                      "never"};

result<void> set_bool(std::string_view s, bool& out) {
  auto b = parse_bool(s);
  if (!b)
    return std::move(b).err();
  out = *b;
  return {};
}

result<void> set_journal_policy(std::string_view s, journal_full_policy& out) {
  auto i = parse_choice(s, journal_policies);
  if (!i)
    return std::move(i).err();
  out = *i == 0 ? journal_full_policy::reject_new
                : journal_full_policy::drop_oldest;
  return {};
}

/// A host name or address literal: letters, digits, '.', '-', ':'.
result<void> set_host(std::string_view s, std::string& out) {
  bool ok = !s.empty() && s.size() <= 253;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'
          || c == ':'))
      ok = false;
  if (!ok)
    return bad("must be a host name or an IP address literal, got "
               + quote_for_error(s));
  out = std::string{s};
  return {};
}

/// A journal directory: a non-empty path without control characters.
result<void> set_dir(std::string_view s, std::string& out) {
  bool ok = !s.empty();
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      ok = false;
  if (!ok)
    return bad("must be a directory path, got " + quote_for_error(s));
  out = std::string{s};
  return {};
}

/// "key=value ..." or a postgresql:// URI, never holding a password.
result<void> set_dsn(std::string_view s, std::string& out) {
  if (trim_blanks(s).empty())
    return bad("must be a libpq connection string, got \"\"");
  std::string lower{s};
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool uri = lower.rfind("postgresql://", 0) == 0
             || lower.rfind("postgres://", 0) == 0;
  bool has_password = lower.find("password") != std::string::npos;
  if (uri) {
    // postgresql://user:secret@host/db
    auto rest = lower.substr(lower.find("://") + 3);
    auto at = rest.find('@');
    auto slash = rest.find('/');
    if (at != std::string::npos && (slash == std::string::npos || at < slash)
        && rest.substr(0, at).find(':') != std::string::npos)
      has_password = true;
  }
  if (has_password)
    return bad("must not hold a password (name the environment variable"
               " that holds it in storage.dsn-env)");
  out = std::string{s};
  return {};
}

result<void> set_env_name(std::string_view s, std::string& out) {
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return bad("must be an environment variable name (letters, digits, _),"
                 " got " + quote_for_error(s));
  out = std::string{s};
  return {};
}

constexpr std::array<std::string_view, 7> log_levels{
  "trace", "debug", "info", "warn", "error", "critical", "off"};
constexpr std::array<std::string_view, 2> log_formats{"text", "json"};
constexpr std::array<std::string_view, 2> overflow_names{"block", "drop"};
constexpr std::array<std::string_view, 2> idle_names{"poll", "sleep"};

/// Every area's additions, built once.
const std::vector<schema_extension>& extensions() {
  static const std::vector<schema_extension> xs{
    streams_schema(), scheduler_schema(), access_schema(), jobs_schema(),
    reference_schema(), indicators_schema(), cluster_schema()};
  return xs;
}

// Setters are capture-less lambdas: one line per key, range in plain sight.
const std::vector<section_spec>& schema() {
  static const std::vector<section_spec> specs{
    {"log",
     {
       {"level",
        [](std::string_view v, topology& t) -> result<void> {
          auto i = parse_choice(v, log_levels);
          if (!i)
            return std::move(i).err();
          t.log.level = std::string{log_levels[*i]};
          return {};
        }},
       {"format",
        [](std::string_view v, topology& t) -> result<void> {
          auto i = parse_choice(v, log_formats);
          if (!i)
            return std::move(i).err();
          t.log.json = *i == 1;
          return {};
        }},
     }},
    {"actors",
     {
       {"threads",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 64, t.actors.threads);
        }},
       {"idle-workers",
        [](std::string_view v, topology& t) -> result<void> {
          auto i = parse_choice(v, idle_names);
          if (!i)
            return std::move(i).err();
          t.actors.idle = *i == 0 ? idle_policy::poll : idle_policy::sleep;
          return {};
        }},
     }},
    {"gateway",
     {
       {"bind",
        [](std::string_view v, topology& t) {
          return set_bind(v, t.gateway.bind);
        }},
       {"port",
        [](std::string_view v, topology& t) {
          return set_uint(v, 0, 65535, t.gateway.port);
        }},
       {"max-connections",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 1'000'000, t.gateway.max_connections);
        }},
       {"request-timeout",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, ns_per_h,
                              t.gateway.request_timeout_ns);
        }},
       {"idle-timeout",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, 24 * ns_per_h,
                              t.gateway.idle_timeout_ns);
        }},
       {"max-header-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, kib, mib, t.gateway.max_header_bytes);
        }},
       {"max-body-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, 0, 64 * mib, t.gateway.max_body_bytes);
        }},
     }},
    {"broadcaster",
     {
       {"bind",
        [](std::string_view v, topology& t) {
          return set_bind(v, t.broadcaster.bind);
        }},
       {"port",
        [](std::string_view v, topology& t) {
          return set_uint(v, 0, 65535, t.broadcaster.port);
        }},
       {"path",
        [](std::string_view v, topology& t) -> result<void> {
          auto ok = check_url_path(v);
          if (ok)
            t.broadcaster.path = std::string{v};
          return ok;
        }},
       {"max-clients",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 1'000'000, t.broadcaster.max_clients);
        }},
       {"max-message-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 16 * mib, t.broadcaster.max_message_bytes);
        }},
       {"client-queue-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, kib, 1024 * mib,
                          t.broadcaster.client_queue_bytes);
        }},
       {"max-channels-per-client",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 65536,
                          t.broadcaster.max_channels_per_client);
        }},
       {"conflate-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, kib, 1024 * mib, t.broadcaster.conflate_bytes);
        }},
       {"conflate-interval",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, 10 * ns_per_s,
                              t.broadcaster.conflate_interval_ns);
        }},
       {"max-queued-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, kib, 64 * 1024 * mib,
                          t.broadcaster.max_queued_bytes);
        }},
       {"heartbeat-interval",
        [](std::string_view v, topology& t) {
          return set_duration(v, 10 * ns_per_ms, ns_per_h,
                              t.broadcaster.heartbeat_interval_ns);
        }},
       {"idle-timeout",
        [](std::string_view v, topology& t) {
          return set_duration(v, 10 * ns_per_ms, 24 * ns_per_h,
                              t.broadcaster.idle_timeout_ns);
        }},
       {"snapshot-bars",
        [](std::string_view v, topology& t) {
          return set_uint(v, 0, 5000, t.broadcaster.snapshot_bars);
        }},
     }},
    {"pipeline",
     {
       {"queue-bound",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 100'000, t.pipeline.queue_bound);
        }},
       {"overflow",
        [](std::string_view v, topology& t) -> result<void> {
          auto i = parse_choice(v, overflow_names);
          if (!i)
            return std::move(i).err();
          t.pipeline.overflow = *i == 0 ? overflow_policy::block
                                        : overflow_policy::drop;
          return {};
        }},
     }},
    {"validator",
     {
       {"count",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 64, t.validator.count);
        }},
       {"health-interval",
        [](std::string_view v, topology& t) {
          return set_duration(v, 100 * ns_per_ms, ns_per_h,
                              t.validator.health_interval_ns);
        }},
       {"future-skew",
        [](std::string_view v, topology& t) {
          return set_duration(v, 0, 24 * ns_per_h,
                              t.validator.rules.max_future_skew_ns);
        }},
       {"freshness-bound",
        [](std::string_view v, topology& t) {
          return set_duration(v, 0, 365 * 24 * ns_per_h,
                              t.validator.rules.freshness_bound_ns);
        }},
       {"duplicate-memory",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 10'000'000, t.validator.rules.duplicate_memory);
        }},
       {"quarantine-capacity",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 10'000'000, t.validator.rules.quarantine_capacity);
        }},
       {"quality-alpha",
        [](std::string_view v, topology& t) {
          return set_parsed(parse_number(v, 0.000001, 1),
                            t.validator.rules.quality_alpha);
        }},
       {"outlier-scale-floor",
        [](std::string_view v, topology& t) {
          return set_parsed(parse_number(v, 0, 1),
                            t.validator.rules.outliers.scale_floor);
        }},
       {"outlier-rebase-after",
        [](std::string_view v, topology& t) {
          return set_uint(v, 0, 100'000, t.validator.rules.outliers.rebase_after);
        }},
     }},
    {"cache",
     {
       {"max-instruments",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 10'000'000, t.cache.max_instruments);
        }},
       {"max-bars-per-series",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 1'000'000, t.cache.max_bars_per_series);
        }},
       {"max-entries",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 100'000'000, t.cache.max_entries);
        }},
       {"max-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, mib, 1024 * 1024 * mib, t.cache.max_bytes);
        }},
       {"ttl-price",
        [](std::string_view v, topology& t) {
          return set_duration(v, 0, 24 * ns_per_h, t.cache.ttl_price_ns);
        }},
       {"ttl-bars",
        [](std::string_view v, topology& t) {
          return set_duration(v, 0, 24 * ns_per_h, t.cache.ttl_bars_ns);
        }},
       {"redis-timeout",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, 10 * ns_per_s, t.cache.redis_timeout_ns);
        }},
     }},
    {"supervisor",
     {
       {"restart-backoff-min",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, ns_per_h,
                              t.supervisor.restart_backoff_min_ns);
        }},
       {"restart-backoff-max",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, ns_per_h,
                              t.supervisor.restart_backoff_max_ns);
        }},
       {"restart-reset-after",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_s, 24 * ns_per_h,
                              t.supervisor.restart_reset_after_ns);
        }},
       {"stop-timeout",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_s, 10 * 60 * ns_per_s,
                              t.supervisor.stop_timeout_ns);
        }},
     }},
    {"alerts",
     {
       {"urls",
        [](std::string_view v, topology& t) {
          return set_parsed(parse_urls(v), t.alerts.urls);
        }},
       {"timeout",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, 60 * ns_per_s, t.alerts.timeout_ns);
        }},
       {"max-alerts",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 100'000, t.validator.rules.alerts.max_alerts);
        }},
       {"window",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, 24 * ns_per_h,
                              t.validator.rules.alerts.window_ns);
        }},
       {"burst-rejects",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 100'000'000, t.validator.rules.alerts.burst_rejects);
        }},
       {"burst-window",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, 24 * ns_per_h,
                              t.validator.rules.alerts.burst_window_ns);
        }},
       {"repeat-after",
        [](std::string_view v, topology& t) {
          return set_duration(v, 0, 24 * ns_per_h,
                              t.validator.rules.alerts.repeat_after_ns);
        }},
     }},
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
     }},
    {"redis",
     {
       {"enabled",
        [](std::string_view v, topology& t) {
          return set_bool(v, t.redis.enabled);
        }},
       {"host",
        [](std::string_view v, topology& t) {
          return set_host(v, t.redis.host);
        }},
       {"port",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 65535, t.redis.port);
        }},
       {"connect-timeout",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, 60 * ns_per_s,
                              t.redis.connect_timeout_ns);
        }},
       {"ttl-price",
        [](std::string_view v, topology& t) {
          return set_duration(v, 0, 365 * 24 * ns_per_h, t.redis.ttl_price_ns);
        }},
       {"ttl-bars",
        [](std::string_view v, topology& t) {
          return set_duration(v, 0, 365 * 24 * ns_per_h, t.redis.ttl_bars_ns);
        }},
       {"max-bars",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 1'000'000, t.redis.max_bars);
        }},
       {"key-prefix",
        [](std::string_view v, topology& t) -> result<void> {
          bool ok = !v.empty() && v.size() <= 64;
          for (char c : v)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'
                  || c == '-' || c == '.' || c == ':'))
              ok = false;
          if (!ok)
            return bad("must be 1 to 64 of A-Z, a-z, 0-9, '_', '-', '.', ':',"
                       " got " + quote_for_error(v));
          t.redis.key_prefix = std::string{v};
          return {};
        }},
       {"journal-dir",
        [](std::string_view v, topology& t) {
          return set_dir(v, t.redis.journal_dir);
        }},
       {"journal-max-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, mib, 1024 * 1024 * mib, t.redis.journal_max_bytes);
        }},
       {"journal-policy",
        [](std::string_view v, topology& t) {
          return set_journal_policy(v, t.redis.journal_policy);
        }},
     }},
    {"storage",
     {
       {"enabled",
        [](std::string_view v, topology& t) {
          return set_bool(v, t.storage.enabled);
        }},
       {"dsn",
        [](std::string_view v, topology& t) {
          return set_dsn(v, t.storage.dsn);
        }},
       {"dsn-env",
        [](std::string_view v, topology& t) {
          return set_env_name(v, t.storage.dsn_env);
        }},
       {"batch-size",
        [](std::string_view v, topology& t) {
          return set_uint(v, 1, 1'000'000, t.storage.batch_size);
        }},
       {"flush-interval",
        [](std::string_view v, topology& t) {
          return set_duration(v, ns_per_ms, ns_per_h,
                              t.storage.flush_interval_ns);
        }},
       {"retention",
        [](std::string_view v, topology& t) -> result<void> {
          auto d = parse_duration(v, 0, 10 * 365 * 24 * ns_per_h);
          if (!d)
            return std::move(d).err();
          if (*d != 0 && *d < ns_per_h)
            return bad("must be 0 (off) or at least 1h, got "
                       + quote_for_error(v));
          t.storage.retention_ns = *d;
          return {};
        }},
       {"journal-dir",
        [](std::string_view v, topology& t) {
          return set_dir(v, t.storage.journal_dir);
        }},
       {"journal-max-bytes",
        [](std::string_view v, topology& t) {
          return set_uint(v, mib, 1024 * 1024 * mib,
                          t.storage.journal_max_bytes);
        }},
       {"journal-policy",
        [](std::string_view v, topology& t) {
          return set_journal_policy(v, t.storage.journal_policy);
        }},
       {"fsync",
        [](std::string_view v, topology& t) -> result<void> {
          auto i = parse_choice(v, fsync_names);
          if (!i)
            return std::move(i).err();
          t.storage.fsync = *i == 0   ? journal_fsync_policy::always
                            : *i == 1 ? journal_fsync_policy::interval
                                      : journal_fsync_policy::never;
          return {};
        }},
     }},
  };
  static const std::vector<section_spec> all = [] {
    auto xs = specs;
    for (size_t i = 0; i < rule_count; ++i)
      xs.push_back(rule_section(static_cast<rule>(i)));
    for (auto& p : provider_table())
      if (p.selectable && p.rest)
        xs.push_back(rest_provider_section(p.name));
    for (auto& ext : extensions())
      xs.insert(xs.end(), ext.sections.begin(), ext.sections.end());
    return xs;
  }();
  return all;
}

// -- error contexts -----------------------------------------------------------

/// "<source>:<line>: <what>: <problem>", or without ":<line>" when line is 0.
error config_error(std::string_view source, size_t line,
                   std::string_view what, std::string_view problem) {
  std::string ctx{source};
  if (line > 0) {
    ctx += ':';
    ctx += std::to_string(line);
  }
  ctx += ": ";
  ctx.append(what);
  ctx += ": ";
  ctx.append(problem);
  return error{errc::config_invalid, std::move(ctx)};
}

const ini_entry* lookup(const entry_index& set, std::string_view key) {
  auto i = set.find(key);
  return i == set.end() ? nullptr : i->second;
}

// -- cross-field checks -------------------------------------------------------

result<void> check_backoff(const topology& t, const entry_index& set,
                           std::string_view source) {
  auto& s = t.supervisor;
  if (s.restart_backoff_min_ns <= s.restart_backoff_max_ns)
    return {};
  // Report on the key the file set, max first.
  if (auto e = lookup(set, "supervisor.restart-backoff-max"))
    return config_error(source, e->line, "supervisor.restart-backoff-max",
                        "must be >= restart-backoff-min ("
                          + format_duration(s.restart_backoff_min_ns)
                          + "), got " + quote_for_error(e->value));
  auto e = lookup(set, "supervisor.restart-backoff-min");
  return config_error(source, e ? e->line : 0,
                      "supervisor.restart-backoff-min",
                      "must be <= restart-backoff-max ("
                        + format_duration(s.restart_backoff_max_ns)
                        + "), got "
                        + quote_for_error(
                          e ? e->value
                            : format_duration(s.restart_backoff_min_ns)));
}

result<void> check_ports(const topology& t, const entry_index& set,
                         std::string_view source) {
  auto& gw = t.gateway;
  auto& bc = t.broadcaster;
  if (gw.port == 0 || gw.port != bc.port || !binds_overlap(gw.bind, bc.bind))
    return {};
  auto port = std::to_string(gw.port);
  auto g = lookup(set, "gateway.port");
  auto e = lookup(set, "broadcaster.port");
  // Report on broadcaster.port unless only gateway.port was set.
  if (g && !e)
    return config_error(source, g->line, "gateway.port",
                        "port " + port + " is already used by"
                          " broadcaster.port (bind " + bc.bind + ")");
  return config_error(source, e ? e->line : 0, "broadcaster.port",
                      "port " + port + " is already used by gateway.port"
                        " (bind " + gw.bind + ")");
}

/// [broadcaster]: conflate-bytes < client-queue-bytes <= max-queued-bytes,
/// and idle-timeout > heartbeat-interval (pings go out at that interval).
result<void> check_broadcaster(const topology& t, const entry_index& set,
                               std::string_view source) {
  auto& b = t.broadcaster;
  auto fail = [&](std::string_view key, std::string problem) {
    std::string what{"broadcaster."};
    what += key;
    auto e = lookup(set, what);
    return config_error(source, e ? e->line : 0, what, problem);
  };
  if (b.conflate_bytes >= b.client_queue_bytes)
    return fail("conflate-bytes",
                "must be < client-queue-bytes ("
                  + std::to_string(b.client_queue_bytes) + "), got "
                  + std::to_string(b.conflate_bytes));
  if (b.client_queue_bytes > b.max_queued_bytes)
    return fail("client-queue-bytes",
                "must be <= max-queued-bytes ("
                  + std::to_string(b.max_queued_bytes) + "), got "
                  + std::to_string(b.client_queue_bytes));
  if (b.idle_timeout_ns <= b.heartbeat_interval_ns)
    return fail("idle-timeout",
                "must be > heartbeat-interval ("
                  + format_duration(b.heartbeat_interval_ns) + "), got "
                  + format_duration(b.idle_timeout_ns));
  return {};
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

result<void> check_validation(const topology& t, const entry_index&,
                              std::string_view source) {
  if (auto ok = validate(t.validator.rules); !ok)
    return config_error(source, 0, "validator", ok.err().context);
  return {};
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

result<void> check_journal_dirs(const topology& t, const entry_index& set,
                                std::string_view source) {
  if (!t.redis.enabled || !t.storage.enabled
      || t.redis.journal_dir != t.storage.journal_dir)
    return {};
  std::string what = "storage.journal-dir";
  auto e = lookup(set, what);
  if (e == nullptr && lookup(set, "redis.journal-dir") != nullptr) {
    what = "redis.journal-dir";
    e = lookup(set, what);
  }
  return config_error(source, e ? e->line : 0, what,
                      "must differ from the other writer's journal-dir, got "
                        + quote_for_error(e ? e->value : t.storage.journal_dir));
}

} // namespace topo

using namespace topo;

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

result<topology> load_topology(std::string_view ini_text,
                               std::string_view source) {
  auto doc = parse_ini(ini_text, source);
  if (!doc)
    return std::move(doc).err();
  auto& specs = schema();
  topology t;
  entry_index set;
  // Map every entry in file order; the first problem wins.
  for (auto& sec : doc->sections) {
    auto spec = std::find_if(specs.begin(), specs.end(),
                             [&](auto& s) { return s.name == sec.name; });
    if (spec == specs.end())
      return config_error(source, sec.line, "[" + sec.name + "]",
                          "unknown section"
                            + hint(sec.name, specs, [](std::string_view n) {
                                return "[" + std::string{n} + "]";
                              }));
    for (auto& e : sec.entries) {
      auto what = sec.name + "." + e.key;
      auto key = spec->find(e.key);
      if (key == nullptr)
        return config_error(source, e.line, what,
                            "unknown key"
                              + hint(e.key, spec->keys,
                                     [](std::string_view n) {
                                       return quote_for_error(n);
                                     }));
      if (auto ok = key->apply(e.value, t); !ok)
        return config_error(source, e.line, what, ok.err().context);
      set.emplace(std::move(what), &e);
    }
  }
  // Then the checks that span keys.
  for (auto check : {check_backoff, check_ports, check_broadcaster, check_simulator,
                     check_rest_providers, check_validation,
                     check_journal_dirs})
    if (auto ok = check(t, set, source); !ok)
      return ok.err();
  for (auto& ext : extensions())
    for (auto check : ext.checks)
      if (auto ok = check(t, set, source); !ok)
        return ok.err();
  return t;
}

} // namespace tickflow
