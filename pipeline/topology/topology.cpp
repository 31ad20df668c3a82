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
#include "pipeline/model/text.hpp"
#include "pipeline/model/time.hpp"
#include "pipeline/topology/ini.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow {

namespace topo {

// -- hints --------------------------------------------------------------------

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

// -- the schema ---------------------------------------------------------------

constexpr std::array<std::string_view, 7> log_levels{
  "trace", "debug", "info", "warn", "error", "critical", "off"};
constexpr std::array<std::string_view, 2> log_formats{"text", "json"};
constexpr std::array<std::string_view, 2> overflow_names{"block", "drop"};
constexpr std::array<std::string_view, 2> idle_names{"poll", "sleep"};

/// Every area's additions, built once.
const std::vector<schema_extension>& extensions() {
  static const std::vector<schema_extension> xs{
    streams_schema(), scheduler_schema(), access_schema(), jobs_schema(),
    reference_schema(), instruments_schema(), indicators_schema(), cluster_schema(),
    limits_schema()};
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
       {"recent-trades",
        [](std::string_view v, topology& t) {
          return set_uint(v, 0, 100'000, t.cache.recent_trades);
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
  };
  static const std::vector<section_spec> all = [] {
    auto xs = specs;
    for (auto* more : {provider_sections, storage_sections}) {
      auto ys = more();
      xs.insert(xs.end(), ys.begin(), ys.end());
    }
    auto rules = rule_sections();
    xs.insert(xs.end(), rules.begin(), rules.end());
    auto rest = rest_provider_sections();
    xs.insert(xs.end(), rest.begin(), rest.end());
    for (auto& ext : extensions())
      for (auto& sec : ext.sections) {
        // A section another file defines gets the area's keys added.
        auto same = std::find_if(xs.begin(), xs.end(),
                                 [&](auto& x) { return x.name == sec.name; });
        if (same == xs.end())
          xs.push_back(sec);
        else
          same->keys.insert(same->keys.end(), sec.keys.begin(), sec.keys.end());
      }
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

result<void> check_validation(const topology& t, const entry_index&,
                              std::string_view source) {
  if (auto ok = validate(t.validator.rules); !ok)
    return config_error(source, 0, "validator", ok.err().context);
  return {};
}

} // namespace topo

using namespace topo;

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
