// GET /api/v1/technical/{symbol}: technical indicators computed from
// tickflow's own bars (docs/API.md "Technical indicators").
//
// The bars come down the read path of /ohlcv (read_bars: L1, Redis, Postgres,
// then the providers, which backfill missing ranges), with the warm-up each
// indicator needs before the first answered bar: its warmup() plus half
// again and 2 slots of margin, since a slot without a bar (a closed market)
// still counts as a slot. Only closed bars count. When fewer bars than the
// warm-up exist before the first answered bar, the answer says so in
// "missing_bars" and holds the values that can be computed (a 200, not an
// error): recursive indicators (EMA, RSI, ATR, MACD) then start later.

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <set>

#include "actors/gateway_state.hpp"
#include "api/event_json.hpp"
#include "pipeline/cache/range_gaps.hpp"
#include "pipeline/indicators/indicator_json.hpp"
#include "pipeline/indicators/indicator_spec.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow {

namespace {

namespace ind = indicators;

/// Indicators one request may ask for.
constexpr size_t max_indicators = 16;

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// The trimmed value of `name`; empty when absent.
std::string_view param(const api::http_request& req, const std::string& name) {
  auto* p = req.param(name);
  return p ? trim(*p) : std::string_view{};
}

api::http_response invalid(std::string field, std::string message) {
  return fail(400, "invalid_parameter", std::move(message), std::move(field));
}

/// A whole number in lo..hi, or `fallback` when absent.
std::optional<size_t> whole(std::string_view text, size_t lo, size_t hi, size_t fallback) {
  if (text.empty())
    return fallback;
  size_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < lo || n > hi)
    return std::nullopt;
  return n;
}

/// A finite number in (0, hi], or `fallback` when absent.
std::optional<double> positive(std::string_view text, double hi, double fallback) {
  if (text.empty())
    return fallback;
  double x = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(x)
      || x <= 0 || x > hi)
    return std::nullopt;
  return x;
}

/// What a request asked for, checked.
struct technical_query {
  std::string instrument;
  interval span = interval::d1;
  std::vector<ind::indicator_spec> specs;
  int64_t start_ns = 0; ///< 0: the newest `limit` bars
  int64_t end_ns = 0;   ///< 0: up to now
  size_t limit = 100;
};

using parsed = std::variant<technical_query, api::http_response>;

/// Every indicator= value, comma lists and repeats alike, in order.
std::vector<std::string> indicator_names(const api::http_request& req) {
  std::vector<std::string> out;
  for (auto& [k, v] : req.query) {
    if (k != "indicator")
      continue;
    std::string_view rest{v};
    while (true) {
      auto comma = rest.find(',');
      auto item = trim(rest.substr(0, comma));
      std::string name{item};
      for (auto& c : name)
        if (c >= 'A' && c <= 'Z')
          c = static_cast<char>(c - 'A' + 'a');
      out.push_back(std::move(name));
      if (comma == std::string_view::npos)
        break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

parsed parse_query(const gateway_state& st, const http_call& call) {
  auto& req = call.request;
  auto& cfg = st.topo.indicators;
  technical_query q;
  // Symbol (the path segment), canonical after upper-casing.
  q.instrument = call.path_param("symbol");
  for (auto& c : q.instrument)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  if (!is_canonical_instrument(q.instrument))
    return invalid("symbol", "the symbol must be an instrument id such as BTC-USDT or AAPL");
  if (auto text = param(req, "interval"); !text.empty()) {
    auto iv = parse_interval(text);
    if (!iv)
      return invalid("interval", "'interval' must be one of 1s, 1m, 3m, 5m, 15m, 30m, "
                                 "1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M");
    q.span = *iv;
  }
  auto range = "1.." + std::to_string(cfg.max_period);
  auto period = whole(param(req, "period"), 1, cfg.max_period, 0);
  if (!period)
    return invalid("period", "'period' must be an integer in " + range);
  auto fast = whole(param(req, "fast"), 1, cfg.max_period, 12);
  if (!fast)
    return invalid("fast", "'fast' must be an integer in " + range);
  auto slow = whole(param(req, "slow"), 2, cfg.max_period, 26);
  if (!slow)
    return invalid("slow", "'slow' must be an integer in 2.." + std::to_string(cfg.max_period));
  auto signal = whole(param(req, "signal"), 1, cfg.max_period, 9);
  if (!signal)
    return invalid("signal", "'signal' must be an integer in " + range);
  auto k = positive(param(req, "k"), 100, 2.0);
  if (!k)
    return invalid("k", "'k' must be a number greater than 0 and at most 100");
  auto per_year = positive(param(req, "bars_per_year"), 1e9, ind::bars_per_year(q.span));
  if (!per_year)
    return invalid("bars_per_year", "'bars_per_year' must be a positive number");
  // Indicators.
  auto names = indicator_names(req);
  if (names.empty())
    return fail(400, "missing_parameter", "missing required parameter 'indicator'",
                "indicator");
  if (names.size() > max_indicators)
    return invalid("indicator", "at most " + std::to_string(max_indicators)
                                  + " indicators per request");
  std::set<std::string> seen;
  for (auto& name : names) {
    auto spec = ind::parse_indicator(name, *period, cfg.max_period);
    if (!spec)
      return invalid("indicator", spec.err().context);
    spec->fast = *fast;
    spec->slow = *slow;
    spec->signal = *signal;
    spec->k = *k;
    spec->bars_per_year = *per_year;
    if (auto ok = ind::validate(*spec, cfg.max_period); !ok)
      return invalid(spec->kind == ind::indicator_kind::macd ? "slow" : "indicator",
                     ok.err().context);
    if (seen.insert(spec->name()).second)
      q.specs.push_back(*spec);
  }
  // Range.
  for (auto name : {"start", "end"}) {
    auto text = param(req, name);
    if (text.empty())
      continue;
    auto ts = parse_timestamp(text);
    if (!ts || *ts < 0)
      return invalid(name, std::string{"'"} + name
                             + "' must be a date (YYYY-MM-DD), an ISO 8601 UTC time"
                               " or an epoch number");
    (std::string_view{name} == "start" ? q.start_ns : q.end_ns) = *ts;
  }
  if (q.start_ns != 0 && q.end_ns != 0 && q.start_ns > q.end_ns)
    return invalid("start", "'start' must not be after 'end'");
  auto limit = whole(param(req, "limit"), 1, cfg.max_bars, cfg.default_limit);
  if (!limit)
    return invalid("limit", "'limit' must be an integer in 1.." + std::to_string(cfg.max_bars));
  q.limit = *limit;
  return q;
}

/// Bars fetched before the first answered bar: the warm-up, plus half again
/// and 2 slots for slots without a bar.
size_t warmup_slots(size_t warmup) {
  return warmup == 0 ? 0 : warmup + warmup / 2 + 2;
}

/// The answer, from the bars the read path delivered.
std::string render(const technical_query& q, const std::string& source,
                   std::vector<bar> delivered, int64_t from_ns, int64_t to_ns) {
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
  api::append_json_string(out, q.instrument);
  out += ",\"interval\":";
  api::append_json_string(out, to_string(q.span));
  out += ",\"source\":";
  api::append_json_string(out, source);
  auto time_or_null = [&](bool has, int64_t t) {
    if (!has) {
      out += "null";
      return;
    }
    out += '"';
    out += format_iso8601(t);
    out += '"';
  };
  out += ",\"start\":";
  time_or_null(first < bars.size(), first < bars.size() ? bars[first].t_ns : 0);
  out += ",\"end\":";
  time_or_null(first < bars.size(), bars.empty() ? 0 : bars.back().t_ns);
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
        if (first < bars.size() && p.t_ns >= bars[first].t_ns)
          shown.push_back(p);
    if (any)
      out += ',';
    any = true;
    api::append_json_string(out, s.name());
    out += ':';
    ind::append_points(out, s.kind, shown);
  }
  out += "}}";
  return out;
}

void handle_technical(gateway_ptr self, const http_call& call) {
  auto& st = self->state;
  auto& cfg = st.topo.indicators;
  if (!cfg.enabled)
    return call.reply(fail(404, "disabled",
                           "technical indicators are off ([indicators] enabled = false)"));
  auto p = parse_query(st, call);
  if (auto* e = std::get_if<api::http_response>(&p))
    return call.reply(std::move(*e));
  auto q = std::make_shared<technical_query>(std::get<technical_query>(std::move(p)));
  size_t warmup = 0;
  for (auto& s : q->specs)
    warmup = std::max(warmup, s.warmup());
  auto margin = warmup_slots(warmup);
  api::ohlcv_query bars_q;
  bars_q.instrument = q->instrument;
  bars_q.span = q->span;
  bars_q.end_ns = q->end_ns;
  int64_t to_ns = q->end_ns != 0 ? q->end_ns : now_ns();
  int64_t from_ns = 0;
  if (q->start_ns != 0) {
    from_ns = cache::first_slot_at_or_after(q->span, q->start_ns);
    for (size_t i = 0; i < margin && from_ns > 0; ++i)
      from_ns = cache::previous_slot(q->span, from_ns);
    from_ns = std::max<int64_t>(from_ns, 0);
    auto slots = cache::count_slots(q->span, from_ns, bar_open_time(q->span, to_ns));
    if (slots > cfg.max_bars)
      return call.reply(invalid(
        "start", "the range holds " + std::to_string(slots) + " " + std::string{to_string(q->span)}
                   + " bars with the warm-up; at most " + std::to_string(cfg.max_bars)
                   + " ([indicators] max-bars): narrow it or use a longer interval"));
    bars_q.start_ns = from_ns;
    bars_q.limit = std::max<size_t>(slots, 1);
  } else {
    bars_q.limit = q->limit + margin;
    if (bars_q.limit > cfg.max_bars)
      return call.reply(invalid(
        "limit", "limit plus the warm-up (" + std::to_string(margin) + " bars) exceeds "
                   + std::to_string(cfg.max_bars) + " ([indicators] max-bars)"));
  }
  auto reply = call.reply;
  read_bars(self, std::move(bars_q), call.prio, reply,
            [q, reply, from_ns, to_ns](const std::string& source, std::vector<bar> bars) {
              reply(json(200, render(*q, source, std::move(bars), from_ns, to_ns)));
            });
}

} // namespace

std::vector<route> technical_routes() {
  return {
    {"GET", "/api/v1/technical/{symbol}", handle_technical},
  };
}

} // namespace tickflow
