// The value parsers and setters every area of the schema uses
// (pipeline/topology/schema.hpp): numbers, durations, lists, addresses,
// URLs, paths. Each returns the value or config_invalid whose context is the
// problem only (the loader prefixes "<source>:<line>: <section>.<key>: ").

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "pipeline/model/events.hpp"
#include "pipeline/model/text.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

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

/// An http:// or https:// URL with a host and no query.
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

result<void> set_bool(std::string_view s, bool& out) {
  auto b = parse_bool(s);
  if (!b)
    return std::move(b).err();
  out = *b;
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
result<void> set_env_name(std::string_view s, std::string& out) {
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return bad("must be an environment variable name (letters, digits, _),"
                 " got " + quote_for_error(s));
  out = std::string{s};
  return {};
}

} // namespace tickflow::topo
