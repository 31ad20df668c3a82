#include "adapters/alpha_vantage/alpha_vantage_parse.hpp"

#include <string>

#include "adapters/alpha_vantage/alpha_vantage_provider.hpp"
#include "adapters/alpha_vantage/us_eastern_time.hpp"
#include "pipeline/normalize/price_adjust.hpp"
#include "adapters/common/ascii.hpp"
#include "adapters/common/bar_window.hpp"
#include "adapters/common/json_number.hpp"
#include "adapters/common/provider_errors.hpp"
#include "pipeline/model/time.hpp"

namespace tickflow::alpha_vantage {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size()
         && s.substr(s.size() - suffix.size()) == suffix;
}

// Alpha Vantage echoes the key in its daily-limit text ("We have detected
// your API key as ABC123 and ..."): keep the text, drop the key.
std::string redact_key(std::string_view text) {
  constexpr std::string_view marker = "API key as ";
  std::string out{text};
  auto at = out.find(marker);
  if (at == std::string::npos)
    return out;
  auto begin = at + marker.size();
  auto end = begin;
  // The key ends at a space, a comma or a sentence-ending point.
  auto at_end = [&](size_t i) {
    return out[i] == ' ' || out[i] == ','
           || (out[i] == '.' && (i + 1 == out.size() || out[i + 1] == ' '));
  };
  while (end < out.size() && !at_end(end))
    ++end;
  if (end > begin)
    out.replace(begin, end - begin, "***");
  return out;
}

// 00:00 UTC of a "YYYY-MM-DD" date.
result<int64_t> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    return error{errc::invalid_argument,
                 "expected \"YYYY-MM-DD\": \"" + std::string{text.substr(0, 32)}
                   + "\""};
  return parse_timestamp(text);
}

} // namespace

std::string_view intraday_name(interval span) noexcept {
  switch (span) {
    case interval::m1: return "1min";
    case interval::m5: return "5min";
    case interval::m15: return "15min";
    case interval::m30: return "30min";
    case interval::h1: return "60min";
    default: return {};
  }
}

std::optional<fetch_error> parse_error_body(const rapidjson::Value& doc,
                                            int64_t recv_ns) {
  if (!doc.IsObject())
    return std::nullopt;
  if (auto note = json::member(doc, "Note"); note && note->IsString())
    return fetch_error{errc::rate_limited, redact_key(json::text_of(*note)),
                       60 * ns_per_s};
  if (auto info = json::member(doc, "Information"); info && info->IsString()) {
    auto text = redact_key(json::text_of(*info));
    if (text.find("premium endpoint") != std::string::npos
        || text.find("premium feature") != std::string::npos)
      return fetch_error{errc::unauthorized, std::move(text), 0};
    return fetch_error{errc::rate_limited, std::move(text),
                       ns_until_next_utc_midnight(recv_ns)};
  }
  if (auto msg = json::member(doc, "Error Message"); msg && msg->IsString()) {
    auto text = redact_key(json::text_of(*msg));
    auto code = errc::provider_error;
    if (text.find("apikey") != std::string::npos)
      code = errc::unauthorized;
    else if (text.rfind("Invalid API call", 0) == 0)
      code = errc::unknown_symbol;
    return fetch_error{code, std::move(text), 0};
  }
  return std::nullopt;
}

result<std::vector<bar>> parse_time_series(const rapidjson::Value& doc,
                                           interval span,
                                           std::string_view instrument,
                                           std::string_view provider_symbol,
                                           int64_t recv_ns, bool adjusted) {
  bool daily = span == interval::d1;
  auto name = intraday_name(span);
  if (!daily && name.empty())
    return error{errc::invalid_argument,
                 "no Alpha Vantage series of "
                   + std::string{to_string(span)} + " bars"};
  std::string series_name = "Time Series (";
  series_name.append(daily ? std::string_view{"Daily"} : name);
  series_name.push_back(')');
  json::number_reader top{doc};
  auto meta = top.object("Meta Data");
  auto series = top.object(series_name.c_str());
  if (!top)
    return top.err();
  json::number_reader m{*meta, "Meta Data"};
  auto symbol = m.string("2. Symbol");
  if (!m)
    return m.err();
  if (!ascii_iequals(symbol, provider_symbol))
    return error{errc::malformed, "Meta Data.2. Symbol: "
                                    + std::string{symbol} + ", asked for "
                                    + std::string{provider_symbol}};
  // "5. Time Zone" (daily) or "6. Time Zone" (intraday).
  std::string_view zone;
  for (auto i = meta->MemberBegin(); i != meta->MemberEnd(); ++i)
    if (ends_with(json::text_of(i->name), "Time Zone") && i->value.IsString())
      zone = json::text_of(i->value);
  if (!daily && zone.empty())
    return error{errc::missing_field, "Meta Data.6. Time Zone"};
  auto length = interval_ns(span);
  std::vector<bar> out;
  out.reserve(series->MemberCount());
  for (auto i = series->MemberBegin(); i != series->MemberEnd(); ++i) {
    auto key = json::text_of(i->name);
    auto where = series_name + "." + std::string{key};
    auto open_time = daily ? parse_date(key) : parse_zoned_time(key, zone);
    if (!open_time)
      return error{errc::malformed, where + ": " + open_time.err().context};
    json::number_reader row{i->value, where};
    bar b;
    b.instrument = std::string{instrument};
    b.provider_symbol = std::string{provider_symbol};
    b.source = providers::alpha_vantage;
    b.span = span;
    b.open_time_ns = *open_time;
    b.open = row.decimal("1. open");
    b.high = row.decimal("2. high");
    b.low = row.decimal("3. low");
    b.close = row.decimal("4. close");
    // Adjusted series: "5. adjusted close", volume in "6. volume".
    b.volume = row.decimal(row.has("5. volume") ? "5. volume" : "6. volume");
    decimal adjusted_close;
    if (adjusted && daily)
      adjusted_close = row.decimal("5. adjusted close");
    if (!row)
      return row.err();
    b.closed = b.open_time_ns + length <= recv_ns;
    b.ts_recv_ns = recv_ns;
    if (adjusted && daily) {
      auto a = adjust_bar(std::move(b), adjusted_close);
      if (!a)
        return error{errc::malformed, where + ": " + a.err().context};
      b = std::move(*a);
    }
    out.push_back(std::move(b));
  }
  sort_by_open_time(out);
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i].open_time_ns == out[i - 1].open_time_ns)
      return error{errc::malformed,
                   series_name + ": two rows open at "
                     + format_iso8601(out[i].open_time_ns)};
  return out;
}

result<price> parse_global_quote(const rapidjson::Value& doc,
                                 std::string_view instrument,
                                 std::string_view provider_symbol,
                                 int64_t recv_ns) {
  json::number_reader top{doc};
  auto q = top.object("Global Quote");
  if (!top)
    return top.err();
  if (q->MemberCount() == 0)
    return error{errc::unknown_symbol, std::string{provider_symbol}};
  json::number_reader in{*q, "Global Quote"};
  auto symbol = in.string("01. symbol");
  price x;
  x.instrument = std::string{instrument};
  x.source = providers::alpha_vantage;
  x.value = in.decimal("05. price");
  auto day = in.string("07. latest trading day");
  if (!in)
    return in.err();
  if (!ascii_iequals(symbol, provider_symbol))
    return error{errc::malformed, "Global Quote.01. symbol: "
                                    + std::string{symbol} + ", asked for "
                                    + std::string{provider_symbol}};
  auto ts = parse_date(day);
  if (!ts)
    return error{errc::malformed,
                 "Global Quote.07. latest trading day: " + ts.err().context};
  x.ts_event_ns = *ts;
  x.ts_recv_ns = recv_ns;
  return x;
}

} // namespace tickflow::alpha_vantage
