// [jobs] and [watchlist]: the jobs actor's schedules and symbol lists.

#include <fstream>

#include "pipeline/model/events.hpp"
#include "pipeline/model/text.hpp"
#include "pipeline/normalize/symbol_resolver.hpp"
#include "pipeline/topology/schema.hpp"

namespace tickflow::topo {

namespace {

result<void> set_schedule(std::string_view v, job_schedule& out) {
  auto s = job_schedule::parse(v);
  if (!s)
    return bad(s.err().context);
  out = *s;
  return {};
}

/// "BTC-USDT, ETH-USDT": canonical ids, appended to `out`.
result<void> add_symbols(std::string_view v, std::vector<std::string>& out) {
  auto items = split_list(v);
  if (!items)
    return empty_item(v);
  for (auto x : *items) {
    auto resolved = shape_resolver().resolve(x);
    if (!is_canonical_instrument(x) || resolved.status != resolve_status::ok)
      return bad(quote_for_error(x) + " is not a canonical instrument id");
    out.push_back(std::move(resolved.canonical)); // as clients resolve it
  }
  return {};
}

/// A symbols file: one canonical id per line; blank lines and '#' comments skipped.
result<void> add_symbols_file(std::string_view path, std::vector<std::string>& out) {
  if (path.empty())
    return {};
  std::ifstream in{std::string{path}};
  if (!in)
    return bad("cannot read symbols file " + quote_for_error(path));
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    auto t = trim_blanks(line);
    if (t.empty() || t.front() == '#')
      continue;
    auto resolved = shape_resolver().resolve(t);
    if (!is_canonical_instrument(t) || resolved.status != resolve_status::ok)
      return bad(std::string{path} + ":" + std::to_string(n) + ": "
                 + quote_for_error(t) + " is not a canonical instrument id");
    out.push_back(std::move(resolved.canonical)); // as clients resolve it
  }
  return {};
}

result<void> set_interval(std::string_view v, interval& out) {
  auto xs = parse_intervals(v);
  if (!xs)
    return std::move(xs).err();
  if (xs->size() != 1)
    return bad("must be one interval, got " + quote_for_error(v));
  out = xs->front();
  return {};
}

} // namespace

schema_extension jobs_schema() {
  return {
    {
      {"jobs",
       {
         {"enabled", [](std::string_view v, topology& t) { return set_bool(v, t.jobs.enabled); }},
         {"refresh-crypto",
          [](std::string_view v, topology& t) { return set_schedule(v, t.jobs.refresh_crypto); }},
         {"refresh-stocks",
          [](std::string_view v, topology& t) { return set_schedule(v, t.jobs.refresh_stocks); }},
         {"health-probe",
          [](std::string_view v, topology& t) { return set_schedule(v, t.jobs.health_probe); }},
         {"warm-at-start",
          [](std::string_view v, topology& t) { return set_bool(v, t.jobs.warm_at_start); }},
         {"backfill-at-start",
          [](std::string_view v, topology& t) { return set_bool(v, t.jobs.backfill_at_start); }},
         {"backfill-interval",
          [](std::string_view v, topology& t) {
            return set_interval(v, t.jobs.backfill_interval);
          }},
         {"backfill-lookback",
          [](std::string_view v, topology& t) {
            return set_duration(v, ns_per_h, 3650 * 24 * ns_per_h, t.jobs.backfill_lookback_ns);
          }},
         {"async-capacity",
          [](std::string_view v, topology& t) {
            return set_uint(v, 1, 1'000'000, t.jobs.async_capacity);
          }},
         {"async-result-bytes",
          [](std::string_view v, topology& t) {
            return set_uint(v, kib, 64 * 1024 * mib, t.jobs.async_result_bytes);
          }},
       }},
      {"watchlist",
       {
         {"crypto", [](std::string_view v, topology& t) { return add_symbols(v, t.jobs.crypto); }},
         {"stocks", [](std::string_view v, topology& t) { return add_symbols(v, t.jobs.stocks); }},
         {"crypto-file",
          [](std::string_view v, topology& t) { return add_symbols_file(v, t.jobs.crypto); }},
         {"stocks-file",
          [](std::string_view v, topology& t) { return add_symbols_file(v, t.jobs.stocks); }},
       }},
    },
    {}};
}

} // namespace tickflow::topo
