// The streams area of the schema: [streams], [stream.<provider>], [replay].

#include <algorithm>
#include <deque>

#include "pipeline/model/events.hpp"
#include "pipeline/model/text.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"
#include "pipeline/providers/provider_info.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow {

bool has_stream_dialect(std::string_view provider) noexcept {
  auto* p = find_provider(provider);
  return p != nullptr && p->stream;
}

stream_settings stream_defaults(std::string_view provider) {
  stream_settings s;
  s.name = std::string{provider};
  if (auto* p = find_provider(provider))
    s.max_connection_age_ns = p->streams.max_connection_age_ns;
  return s;
}

std::string default_replay_provider() {
  auto xs = provider_names([](const provider_info& p) { return p.stream; });
  return xs.empty() ? std::string{} : xs.front();
}

std::vector<stream_settings> streams_settings::enabled_feeds() const {
  std::vector<stream_settings> out;
  for (auto& name : enabled)
    if (auto i = feeds.find(name); i != feeds.end())
      out.push_back(i->second);
  return out;
}

namespace topo {

result<std::vector<stream_topic>> parse_topics(std::string_view s);

namespace {

/// The providers with a stream dialect, in id order.
std::vector<std::string> stream_providers() {
  return provider_names([](const provider_info& p) { return p.stream; });
}

/// "a, b": the items joined with `sep`.
std::string joined(const std::vector<std::string>& xs, std::string_view sep) {
  std::string out;
  for (auto& x : xs) {
    if (!out.empty())
      out.append(sep);
    out += x;
  }
  return out;
}

/// Stream providers as listed in [streams] enabled, no repeats.
result<std::vector<std::string>> parse_stream_providers(std::string_view s) {
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  std::vector<std::string> out;
  for (auto name : *items) {
    if (!has_stream_dialect(name))
      return bad("unknown stream provider " + quote_for_error(name)
                 + " (known: " + joined(stream_providers(), ", ") + ")");
    if (std::find(out.begin(), out.end(), name) != out.end())
      return bad("stream provider " + quote_for_error(name) + " is listed twice");
    out.emplace_back(name);
  }
  return out;
}

/// A ws:// or wss:// base URL: scheme, host (and port), no path or query.
result<std::string> parse_ws_url(std::string_view s) {
  auto fail = [&] {
    return bad("must be a ws:// or wss:// URL with a host and no path or query, got "
               + quote_for_error(s));
  };
  size_t scheme = s.rfind("ws://", 0) == 0 ? 5 : s.rfind("wss://", 0) == 0 ? 6 : 0;
  if (scheme == 0)
    return fail();
  auto rest = s.substr(scheme);
  while (!rest.empty() && rest.back() == '/')
    rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/?# \t") != std::string_view::npos)
    return fail();
  return std::string{s.substr(0, scheme + rest.size())};
}

} // namespace

/// "BTC-USDT:trades, ETH-USDT:agg-trades, AAPL:quotes, BTC-USDT:bars:1m".
/// Instrument ids may contain ':', so the kind is read from the right.
result<std::vector<stream_topic>> parse_topics(std::string_view s) {
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  std::vector<stream_topic> out;
  for (auto item : *items) {
    auto usage = [&] {
      return bad("expected INSTRUMENT:trades, INSTRUMENT:agg-trades,"
                 " INSTRUMENT:quotes or INSTRUMENT:bars:<interval>, got "
                 + quote_for_error(item));
    };
    auto last = item.rfind(':');
    if (last == std::string_view::npos)
      return usage();
    auto head = item.substr(0, last);
    auto tail = item.substr(last + 1);
    stream_topic t;
    if (tail == "trades") {
      t.kind = stream_topic_kind::trades;
    } else if (tail == "agg-trades") {
      t.kind = stream_topic_kind::agg_trades;
    } else if (tail == "quotes") {
      t.kind = stream_topic_kind::quotes;
    } else {
      auto p = head.rfind(':');
      if (p == std::string_view::npos || head.substr(p + 1) != "bars")
        return usage();
      auto iv = parse_interval(tail);
      if (!iv)
        return bad("unknown bar interval " + quote_for_error(tail) + " in "
                   + quote_for_error(item));
      t.kind = stream_topic_kind::bars;
      t.span = *iv;
      head = head.substr(0, p);
    }
    head = trim_blanks(head);
    auto resolved = shape_resolver().resolve(head);
    if (!is_canonical_instrument(head) || resolved.status != resolve_status::ok)
      return bad(quote_for_error(head) + " is not a canonical instrument id");
    // The id clients resolve to ("BTCUSDT" -> "BTC-USDT").
    t.instrument = std::move(resolved.canonical);
    if (std::find(out.begin(), out.end(), t) != out.end())
      return bad("subscription " + quote_for_error(item) + " is listed twice");
    out.push_back(std::move(t));
  }
  return out;
}

namespace {

/// original | max | <N>x
result<void> set_speed(std::string_view s, replay_settings& r) {
  if (s == "original") {
    r.pace = replay_pace::original;
    r.speed = 1;
    return {};
  }
  if (s == "max") {
    r.pace = replay_pace::max;
    r.speed = 0;
    return {};
  }
  auto problem = "must be original, max or <N>x with N a number in 0.01..10000, got "
                 + quote_for_error(s);
  if (s.size() < 2 || s.back() != 'x')
    return bad(problem);
  auto n = parse_number(s.substr(0, s.size() - 1), 0.01, 10000);
  if (!n)
    return bad(problem);
  r.pace = replay_pace::multiplied;
  r.speed = *n;
  return {};
}

/// A comma-separated list of file paths.
result<std::vector<std::string>> parse_paths(std::string_view s) {
  auto items = split_list(s);
  if (!items)
    return empty_item(s);
  std::vector<std::string> out;
  for (auto item : *items) {
    std::string path;
    if (auto ok = set_dir(item, path); !ok)
      return bad("must be a file path, got " + quote_for_error(item));
    out.push_back(std::move(path));
  }
  return out;
}

section_spec stream_section(std::string_view provider) {
  std::string n{provider};
  auto of = [n](topology& t) -> stream_settings& {
    auto& feeds = t.streams.feeds;
    auto i = feeds.find(n);
    if (i == feeds.end())
      i = feeds.emplace(n, stream_defaults(n)).first;
    return i->second;
  };
  // The spec holds a string_view: the name lives in a table that never
  // moves its strings.
  static std::deque<std::string> names;
  names.push_back("stream." + n);
  return section_spec{
    names.back(),
    {
      {"url",
       [of](std::string_view v, topology& t) {
         return set_parsed(parse_ws_url(v), of(t).url);
       }},
      {"api-key-env",
       [of](std::string_view v, topology& t) { return set_env_name(v, of(t).api_key_env); }},
      {"subscriptions",
       [of](std::string_view v, topology& t) {
         return set_parsed(parse_topics(v), of(t).subscriptions);
       }},
      {"reconnect-min",
       [of](std::string_view v, topology& t) {
         return set_duration(v, ns_per_ms, ns_per_h, of(t).reconnect_min_ns);
       }},
      {"reconnect-max",
       [of](std::string_view v, topology& t) {
         return set_duration(v, ns_per_ms, ns_per_h, of(t).reconnect_max_ns);
       }},
      {"stale-after",
       [of](std::string_view v, topology& t) {
         return set_duration(v, 0, ns_per_h, of(t).stale_after_ns);
       }},
      {"max-frame-bytes",
       [of](std::string_view v, topology& t) {
         return set_uint(v, kib, 4 * mib, of(t).max_frame_bytes);
       }},
      {"max-connection-age",
       [of](std::string_view v, topology& t) {
         return set_duration(v, 0, 24 * ns_per_h, of(t).max_connection_age_ns);
       }},
      {"backfill",
       [of](std::string_view v, topology& t) { return set_bool(v, of(t).backfill); }},
      {"capture-dir",
       [of](std::string_view v, topology& t) -> result<void> {
         if (v.empty()) {
           of(t).capture_dir.clear();
           return {};
         }
         return set_dir(v, of(t).capture_dir);
       }},
      {"ca-file",
       [of](std::string_view v, topology& t) -> result<void> {
         if (v.empty()) {
           of(t).ca_file.clear();
           return {};
         }
         if (auto ok = set_dir(v, of(t).ca_file); !ok)
           return bad("must be a file path, got " + quote_for_error(v));
         return {};
       }},
    }};
}

// -- cross-key checks ---------------------------------------------------------

std::string enabled_line(const entry_index& set) {
  auto e = lookup(set, "streams.enabled");
  return e ? " (line " + std::to_string(e->line) + ")" : std::string{};
}

result<void> check_enabled_feeds(const topology& t, const entry_index& set,
                                 std::string_view source) {
  for (auto& name : t.streams.enabled) {
    auto i = t.streams.feeds.find(name);
    for (auto key : {"url", "subscriptions"}) {
      bool missing = i == t.streams.feeds.end()
                     || (std::string_view{key} == "url" ? i->second.url.empty()
                                                        : i->second.subscriptions.empty());
      if (missing)
        return config_error(source, 0, "stream." + name + "." + key,
                            "required because streams.enabled" + enabled_line(set)
                              + " lists " + name);
    }
  }
  return {};
}

result<void> check_reconnect_bounds(const topology& t, const entry_index& set,
                                    std::string_view source) {
  for (auto& [name, s] : t.streams.feeds) {
    if (s.reconnect_min_ns <= s.reconnect_max_ns)
      continue;
    auto what = "stream." + name + ".reconnect-max";
    auto e = lookup(set, what);
    if (e == nullptr) {
      what = "stream." + name + ".reconnect-min";
      e = lookup(set, what);
    }
    return config_error(source, e ? e->line : 0, what,
                        "reconnect-max (" + format_duration(s.reconnect_max_ns)
                          + ") must be >= reconnect-min ("
                          + format_duration(s.reconnect_min_ns) + ")");
  }
  return {};
}

result<void> check_replay(const topology& t, const entry_index& set,
                          std::string_view source) {
  auto& r = t.streams.replay;
  if (!r.files.empty() && !r.dir.empty()) {
    auto e = lookup(set, "replay.dir");
    return config_error(source, e ? e->line : 0, "replay.dir",
                        "set either files or dir, not both");
  }
  if (r.enabled && r.files.empty() && r.dir.empty()) {
    auto e = lookup(set, "replay.enabled");
    return config_error(source, 0, "replay.files",
                        "files or dir is required because replay.enabled"
                          + (e ? " (line " + std::to_string(e->line) + ")"
                               : std::string{})
                          + " is true");
  }
  return {};
}

} // namespace

schema_extension streams_schema() {
  schema_extension x;
  x.sections.push_back(section_spec{
    "streams",
    {
      {"enabled",
       [](std::string_view v, topology& t) {
         return set_parsed(parse_stream_providers(v), t.streams.enabled);
       }},
    }});
  for (auto& p : stream_providers())
    x.sections.push_back(stream_section(p));
  x.sections.push_back(section_spec{
    "replay",
    {
      {"enabled",
       [](std::string_view v, topology& t) { return set_bool(v, t.streams.replay.enabled); }},
      {"files",
       [](std::string_view v, topology& t) {
         return set_parsed(parse_paths(v), t.streams.replay.files);
       }},
      {"dir",
       [](std::string_view v, topology& t) -> result<void> {
         if (v.empty()) {
           t.streams.replay.dir.clear();
           return {};
         }
         return set_dir(v, t.streams.replay.dir);
       }},
      {"provider",
       [](std::string_view v, topology& t) -> result<void> {
         auto names = stream_providers();
         if (std::find(names.begin(), names.end(), v) == names.end())
           return bad("must be one of " + joined(names, "|") + ", got "
                      + quote_for_error(v));
         t.streams.replay.provider = std::string{v};
         return {};
       }},
      {"speed",
       [](std::string_view v, topology& t) { return set_speed(v, t.streams.replay); }},
    }});
  x.checks = {check_enabled_feeds, check_reconnect_bounds, check_replay};
  return x;
}

} // namespace topo

result<std::vector<stream_topic>> parse_stream_topics(std::string_view text) {
  return topo::parse_topics(text);
}

} // namespace tickflow
