// The warm-up: the bars come down the read path of /ohlcv (L1, Redis,
// Postgres, then the providers, which backfill missing ranges), with the
// warm-up each indicator needs before the first answered bar: its warmup()
// plus half again and 2 slots of margin, counted in the instrument's
// trading slots (a closed market's slot is no slot). Only closed bars count. When fewer
// bars than the warm-up exist before the first answered bar, the answer says
// so in "missing_bars" and holds the values that can be computed (a 200, not
// an error): recursive indicators (EMA, RSI, ATR, MACD) then start later.

#include "api/routes/technical.hpp"

#include <algorithm>
#include <set>

#include "api/event_json.hpp"
#include "api/routes/common.hpp"
#include "api/routes/query.hpp"
#include "pipeline/cache/range_gaps.hpp"
#include "pipeline/indicators/indicator_json.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::api {

namespace ind = indicators;

namespace {

/// Every indicator= value, comma lists and repeats alike, in order,
/// trimmed and lower-cased.
std::vector<std::string> indicator_names(const query_reader& in) {
  std::vector<std::string> out;
  in.each_value("indicator", [&](std::string_view rest) {
    while (true) {
      auto comma = rest.find(',');
      std::string name{trim_space(rest.substr(0, comma))};
      for (auto& c : name)
        if (c >= 'A' && c <= 'Z')
          c = static_cast<char>(c - 'A' + 'a');
      out.push_back(std::move(name));
      if (comma == std::string_view::npos)
        break;
      rest.remove_prefix(comma + 1);
    }
  });
  return out;
}

/// Bars fetched before the first answered bar: the warm-up, plus half again
/// and 2 slots for slots without a bar.
size_t warmup_slots(size_t warmup) {
  return warmup == 0 ? 0 : warmup + warmup / 2 + 2;
}

api_error invalid(std::string field, std::string message) {
  return api_error{400, "invalid_parameter", std::move(message), std::move(field)};
}

} // namespace

api_result<technical_query> parse_technical_query(const http_request& req,
                                                  std::string_view symbol,
                                                  const indicators_settings& cfg) {
  query_reader in{req};
  technical_query q;
  q.instrument = in.instrument(
    symbol, "the symbol must be an instrument id such as BTC-USDT or AAPL");
  q.span = in.span(interval::d1);
  auto max = cfg.max_period;
  auto period = in.whole("period", 1, max, 0, range_words::dots);
  auto fast = in.whole("fast", 1, max, 12, range_words::dots);
  auto slow = in.whole("slow", 2, max, 26, range_words::dots);
  auto signal = in.whole("signal", 1, max, 9, range_words::dots);
  auto k = in.positive("k", 100, 2.0,
                       "'k' must be a number greater than 0 and at most 100");
  auto per_year = in.positive("bars_per_year", 1e9, ind::bars_per_year(q.span),
                              "'bars_per_year' must be a positive number");
  if (!in)
    return std::move(in.error());
  // Indicators.
  auto names = indicator_names(in);
  if (names.empty())
    in.missing("indicator");
  else if (names.size() > max_indicators)
    in.invalid("indicator", "at most " + std::to_string(max_indicators)
                              + " indicators per request");
  if (!in)
    return std::move(in.error());
  std::set<std::string> seen;
  for (auto& name : names) {
    auto spec = ind::parse_indicator(name, period, max);
    if (!spec)
      return invalid("indicator", spec.err().context);
    spec->fast = fast;
    spec->slow = slow;
    spec->signal = signal;
    spec->k = k;
    spec->bars_per_year = per_year;
    if (auto ok = ind::validate(*spec, max); !ok)
      return invalid(spec->kind == ind::indicator_kind::macd ? "slow" : "indicator",
                     ok.err().context);
    if (seen.insert(spec->name()).second)
      q.specs.push_back(*spec);
  }
  // Range.
  auto range = in.range();
  q.start_ns = range.start_ns.value_or(0);
  q.end_ns = range.end_ns.value_or(0);
  q.limit = in.whole("limit", 1, cfg.max_bars, cfg.default_limit, range_words::dots);
  if (!in)
    return std::move(in.error());
  return q;
}

api_result<technical_read> plan_technical_read(const technical_query& q,
                                               const indicators_settings& cfg,
                                               int64_t now_ns,
                                               const trading_calendar* cal) {
  size_t warmup = 0;
  for (auto& s : q.specs)
    warmup = std::max(warmup, s.warmup());
  auto margin = warmup_slots(warmup);
  technical_read r;
  r.bars.instrument = q.instrument;
  r.bars.span = q.span;
  r.bars.end_ns = q.end_ns;
  r.to_ns = q.end_ns != 0 ? q.end_ns : now_ns;
  if (q.start_ns != 0) {
    r.from_ns = cache::first_slot_at_or_after(q.span, q.start_ns);
    if (cal != nullptr && !cal->always_open() && margin > 0 && r.from_ns > 0) {
      // The oldest of the `margin` trading slots before the first one.
      r.from_ns = cache::newest_slots_start(q.span, *cal, 0,
                                            cache::previous_slot(q.span, r.from_ns), margin);
    } else {
      for (size_t i = 0; i < margin && r.from_ns > 0; ++i)
        r.from_ns = cache::previous_slot(q.span, r.from_ns);
    }
    r.from_ns = std::max<int64_t>(r.from_ns, 0);
    auto slots = cache::count_slots(q.span, r.from_ns, bar_open_time(q.span, r.to_ns));
    if (slots > cfg.max_bars)
      return invalid("start", "the range holds " + std::to_string(slots) + " "
                                + std::string{to_string(q.span)}
                                + " bars with the warm-up; at most "
                                + std::to_string(cfg.max_bars)
                                + " ([indicators] max-bars): narrow it or use a "
                                  "longer interval");
    r.bars.start_ns = r.from_ns;
    r.bars.limit = std::max<size_t>(slots, 1);
  } else {
    r.bars.limit = q.limit + margin;
    if (r.bars.limit > cfg.max_bars)
      return invalid("limit", "limit plus the warm-up (" + std::to_string(margin)
                                + " bars) exceeds " + std::to_string(cfg.max_bars)
                                + " ([indicators] max-bars)");
  }
  return r;
}

std::string technical_body(const technical_query& q, const std::string& source,
                           std::vector<bar> delivered, int64_t from_ns,
                           int64_t to_ns) {
  // Closed bars of the asked range only (the L1 may hold the open bar; a
  // provider may answer beyond the range).
  delivered.erase(std::remove_if(delivered.begin(), delivered.end(),
                                 [&](const bar& b) {
                                   return !b.closed || b.open_time_ns < from_ns
                                          || b.open_time_ns > to_ns;
                                 }),
                  delivered.end());
  auto bars = ind::to_series(delivered);
  // The first answered bar: at or after start, else the newest `limit`.
  size_t first = 0;
  if (q.start_ns != 0) {
    while (first < bars.size() && bars[first].t_ns < q.start_ns)
      ++first;
  } else if (bars.size() > q.limit) {
    first = bars.size() - q.limit;
  }
  size_t warmup = 0, missing = 0;
  for (auto& s : q.specs) {
    warmup = std::max(warmup, s.warmup());
    if (s.warmup() > first)
      missing = std::max(missing, s.warmup() - first);
  }
  std::string out;
  out.reserve(256 + 96 * (bars.size() - first) * q.specs.size());
  out += "{\"symbol\":";
  append_json_string(out, q.instrument);
  out += ",\"interval\":";
  append_json_string(out, to_string(q.span));
  out += ",\"source\":";
  append_json_string(out, source);
  bool answered = first < bars.size();
  auto time_or_null = [&](bool has, int64_t t) {
    if (has)
      append_json_string(out, format_iso8601(t));
    else
      out += "null";
  };
  out += ",\"start\":";
  time_or_null(answered, answered ? bars[first].t_ns : 0);
  out += ",\"end\":";
  time_or_null(answered, bars.empty() ? 0 : bars.back().t_ns);
  out += ",\"first_bar\":";
  time_or_null(!bars.empty(), bars.empty() ? 0 : bars.front().t_ns);
  out += ",\"bars_used\":" + std::to_string(bars.size());
  out += ",\"warmup_bars\":" + std::to_string(warmup);
  out += ",\"missing_bars\":" + std::to_string(missing);
  out += ",\"indicators\":{";
  bool any = false;
  for (auto& s : q.specs) {
    // VWAP accumulates over the answered bars only.
    std::vector<ind::ohlcv> input;
    if (s.kind == ind::indicator_kind::vwap)
      input.assign(bars.begin() + static_cast<std::ptrdiff_t>(first), bars.end());
    auto points = ind::compute(s, s.kind == ind::indicator_kind::vwap ? input : bars);
    std::vector<ind::point> shown;
    if (points) // validated before: an error here leaves the series empty
      for (auto& p : *points)
        if (answered && p.t_ns >= bars[first].t_ns)
          shown.push_back(p);
    if (any)
      out += ',';
    any = true;
    append_json_string(out, s.name());
    out += ':';
    ind::append_points(out, s.kind, shown);
  }
  out += "}}";
  return out;
}

http_response technical_disabled() {
  return fail(404, "disabled",
              "technical indicators are off ([indicators] enabled = false)");
}

} // namespace tickflow::api
