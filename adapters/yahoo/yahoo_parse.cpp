#include "adapters/yahoo/yahoo_parse.hpp"

#include <limits>
#include <string>

#include "adapters/common/json_number.hpp"
#include "adapters/yahoo/yahoo_provider.hpp"
#include "pipeline/model/session_date.hpp"
#include "pipeline/normalize/price_adjust.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::yahoo {

namespace {

// Largest |Unix s| read from the wire: its ns value, a day of UTC offset and
// a month-long bar still fit in int64 (year 2262); beyond is out_of_range.
constexpr int64_t max_s = std::numeric_limits<int64_t>::max() / ns_per_s - 64 * 86'400;

bool is_daily_or_longer(interval span) noexcept {
  return span == interval::d1 || span == interval::w1
         || span == interval::mo1;
}

} // namespace

result<const rapidjson::Value*> first_result(const rapidjson::Value& doc,
                                             std::string_view symbol) {
  json::number_reader top{doc};
  auto chart = top.object("chart");
  if (!top)
    return top.err();
  json::number_reader in{*chart, "chart"};
  auto results = in.array("result");
  if (!in)
    return in.err();
  if (results->Empty())
    return error{errc::malformed, "chart.result: empty"};
  auto& r = (*results)[0];
  json::number_reader res{r, "chart.result[0]"};
  auto meta = res.object("meta");
  if (!res)
    return res.err();
  json::number_reader m{*meta, "chart.result[0].meta"};
  auto got = m.string("symbol");
  if (!m)
    return m.err();
  if (got != symbol)
    return error{errc::malformed, "chart.result[0].meta.symbol: "
                                    + std::string{got} + ", asked for "
                                    + std::string{symbol}};
  return &r;
}

std::string_view interval_name(interval span) noexcept {
  switch (span) {
    case interval::m1: return "1m";
    case interval::m5: return "5m";
    case interval::m15: return "15m";
    case interval::m30: return "30m";
    case interval::h1: return "60m";
    case interval::d1: return "1d";
    case interval::w1: return "1wk";
    case interval::mo1: return "1mo";
    default: return {};
  }
}

std::optional<fetch_error> parse_chart_error(const rapidjson::Value& doc) {
  auto chart = json::member(doc, "chart");
  if (chart == nullptr)
    return std::nullopt;
  auto err = json::member(*chart, "error");
  if (err == nullptr || err->IsNull())
    return std::nullopt;
  fetch_error out{errc::provider_error, {}, 0};
  auto code = json::member(*err, "code");
  auto description = json::member(*err, "description");
  if (code != nullptr && code->IsString())
    out.message = json::text_of(*code);
  if (description != nullptr && description->IsString()) {
    if (!out.message.empty())
      out.message.append(": ");
    out.message.append(json::text_of(*description));
  }
  if (out.message.empty())
    out.message = "chart.error without code";
  if (code != nullptr && code->IsString()
      && json::text_of(*code) == "Not Found")
    out.code = errc::unknown_symbol;
  return out;
}

result<chart_bars> parse_chart_bars(const rapidjson::Value& doc,
                                    interval span,
                                    std::string_view instrument,
                                    std::string_view provider_symbol,
                                    int64_t recv_ns, bool adjusted) {
  auto r = first_result(doc, provider_symbol);
  if (!r)
    return std::move(r).err();
  auto& res = **r;
  chart_bars out;
  if (json::member(res, "timestamp") == nullptr)
    return out; // no rows in the range
  json::number_reader in{res, "chart.result[0]"};
  auto timestamps = in.array("timestamp");
  auto indicators = in.object("indicators");
  if (!in)
    return in.err();
  int64_t gmtoffset_s = 0;
  if (is_daily_or_longer(span)) {
    json::number_reader m{res["meta"], "chart.result[0].meta"};
    gmtoffset_s = m.int64("gmtoffset");
    if (!m)
      return m.err();
    if (gmtoffset_s < -86'400 || gmtoffset_s > 86'400)
      return error{errc::out_of_range, "chart.result[0].meta.gmtoffset: more than a day"};
  }
  json::number_reader ind{*indicators, "indicators"};
  auto quotes = ind.array("quote");
  if (!ind)
    return ind.err();
  if (quotes->Empty())
    return error{errc::malformed, "indicators.quote: empty"};
  json::number_reader q{(*quotes)[0], "indicators.quote[0]"};
  static constexpr const char* names[] = {"open", "high", "low", "close",
                                          "volume"};
  const rapidjson::Value* columns[5];
  for (int k = 0; k < 5; ++k)
    columns[k] = q.array(names[k]);
  if (!q)
    return q.err();
  auto n = timestamps->Size();
  for (int k = 0; k < 5; ++k)
    if (columns[k]->Size() != n)
      return error{errc::malformed,
                   "indicators.quote[0]." + std::string{names[k]} + ": "
                     + std::to_string(columns[k]->Size()) + " values for "
                     + std::to_string(n) + " timestamps"};
  // Adjusted daily bars: indicators.adjclose[0].adjclose, one per row.
  const rapidjson::Value* adjclose = nullptr;
  if (adjusted && is_daily_or_longer(span)) {
    auto list = ind.array("adjclose");
    if (!ind)
      return ind.err();
    if (list->Empty())
      return error{errc::missing_field, "indicators.adjclose[0]"};
    json::number_reader a{(*list)[0], "indicators.adjclose[0]"};
    adjclose = a.array("adjclose");
    if (!a)
      return a.err();
    if (adjclose->Size() != n)
      return error{errc::malformed, "indicators.adjclose[0].adjclose: "
                                      + std::to_string(adjclose->Size()) + " values for "
                                      + std::to_string(n) + " timestamps"};
  }
  auto length = interval_ns(span);
  out.bars.reserve(n);
  int64_t last_ts = INT64_MIN;
  for (rapidjson::SizeType i = 0; i < n; ++i) {
    auto index = "[" + std::to_string(i) + "]";
    auto ts = json::to_int64((*timestamps)[i]);
    if (!ts)
      return error{errc::bad_number, "chart.result[0].timestamp" + index
                                       + ": " + ts.err().context};
    if (*ts < -max_s || *ts > max_s)
      return error{errc::out_of_range,
                   "chart.result[0].timestamp" + index + ": out of range"};
    if (*ts < last_ts)
      return error{errc::malformed,
                   "chart.result[0].timestamp" + index + ": goes back in time"};
    last_ts = *ts;
    bool has_null = false;
    for (int k = 0; k < 5; ++k)
      has_null = has_null || (*columns[k])[i].IsNull();
    has_null = has_null || (adjclose != nullptr && (*adjclose)[i].IsNull());
    if (has_null) {
      ++out.skipped_null;
      continue;
    }
    decimal values[5];
    for (int k = 0; k < 5; ++k) {
      auto v = json::to_decimal((*columns[k])[i]);
      if (!v)
        return error{errc::bad_number, "indicators.quote[0]."
                                         + std::string{names[k]} + index + ": "
                                         + v.err().context};
      values[k] = *v;
    }
    bar b;
    b.instrument = std::string{instrument};
    b.provider_symbol = std::string{provider_symbol};
    b.source = providers::yahoo;
    b.span = span;
    if (is_daily_or_longer(span)) {
      // Stamped at the session's opening instant (14:30Z): 00:00 UTC of
      // the exchange's local date, then the week / month (docs/API.md).
      b.open_time_ns = sessions::period_open_ns(
        span, sessions::local_day_ns(*ts * ns_per_s, gmtoffset_s * ns_per_s));
    } else {
      b.open_time_ns = *ts * ns_per_s;
    }
    b.open = values[0];
    b.high = values[1];
    b.low = values[2];
    b.close = values[3];
    b.volume = values[4];
    b.closed = b.open_time_ns + length <= recv_ns;
    b.ts_recv_ns = recv_ns;
    if (adjclose != nullptr) {
      auto where = "indicators.adjclose[0].adjclose" + index + ": ";
      auto v = json::to_decimal((*adjclose)[i]);
      if (!v)
        return error{errc::bad_number, where + v.err().context};
      auto a = adjust_bar(std::move(b), *v);
      if (!a)
        return error{errc::malformed, where + a.err().context};
      b = std::move(*a);
    }
    if (!out.bars.empty() && out.bars.back().open_time_ns == b.open_time_ns)
      out.bars.back() = std::move(b); // the later row of the same bar
    else
      out.bars.push_back(std::move(b));
  }
  return out;
}

result<price> parse_chart_price(const rapidjson::Value& doc,
                                std::string_view instrument,
                                std::string_view provider_symbol,
                                int64_t recv_ns) {
  auto r = first_result(doc, provider_symbol);
  if (!r)
    return std::move(r).err();
  json::number_reader m{(**r)["meta"], "chart.result[0].meta"};
  price x;
  x.instrument = std::string{instrument};
  x.source = providers::yahoo;
  x.value = m.decimal("regularMarketPrice");
  auto time_s = m.int64("regularMarketTime");
  x.ts_recv_ns = recv_ns;
  if (!m)
    return m.err();
  if (time_s < -max_s || time_s > max_s)
    return error{errc::out_of_range, "chart.result[0].meta.regularMarketTime: out of range"};
  x.ts_event_ns = time_s * ns_per_s;
  return x;
}

} // namespace tickflow::yahoo
