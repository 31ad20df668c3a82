#pragma once

// Yahoo Finance chart v8 payloads -> canonical events. Yahoo prints prices
// as JSON doubles (1.1217849254608154, at most 17 significant digits);
// documents come from json::parse_with_number_text and the text is taken
// exactly. A value needing more than decimal's 18 digits or 18 decimal
// places (a 17-digit price below 0.001, e.g. 2.1357000150601384e-05) is
// errc::bad_number: rounding it would hide the change of value.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/events.hpp"

namespace tickflow::yahoo {

/// Bars of a chart and the rows left out because a value was null.
struct chart_bars {
  std::vector<bar> bars;
  size_t skipped_null = 0; ///< rows with a null open/high/low/close/volume
};

/// chart.result[0] of a chart body, after checking that its meta.symbol is
/// `symbol` (errc::malformed otherwise, or for a body of another shape).
result<const rapidjson::Value*> first_result(const rapidjson::Value& doc,
                                             std::string_view symbol);

/// The error a chart body reports, or nullopt when chart.error is null or
/// absent:
///   {"chart":{"result":null,"error":{"code":"Not Found",
///             "description":"No data found, symbol may be delisted"}}}
/// code "Not Found" -> unknown_symbol; any other code -> provider_error.
/// The message is "<code>: <description>".
std::optional<fetch_error> parse_chart_error(const rapidjson::Value& doc);

/// GET /v8/finance/chart/AAPL?interval=1d&period1=1598832000
///     &period2=1604707200
/// timestamp[] in Unix SECONDS, parallel arrays of JSON doubles (null for a
/// row Yahoo has no value for); meta.gmtoffset in seconds:
///   {"chart":{"result":[{"meta":{"symbol":"AAPL","gmtoffset":-18000,...},
///     "timestamp":[1598880600,...],"indicators":{"quote":[{
///     "open":[127.58000183105469,...],"high":[131,...],"low":[126,...],
///     "close":[129.0399932861328,...],"volume":[225702700,...]}]}}],
///     "error":null}}
/// Intraday bars open at their timestamp. Daily, weekly and monthly bars
/// open at 00:00 UTC of the exchange's local trading date (timestamp +
/// meta.gmtoffset), floored to the Monday (1w) or the 1st (1M), like the
/// other providers' and tickflow's own bars. A row with a null value is
/// skipped and counted; a repeated open time keeps the later row (Yahoo
/// re-sends the live day). No "timestamp" means no rows. Closed when open +
/// span is not after `recv_ns`. Errors: malformed (shape, arrays of unequal
/// length, times going back, another symbol), missing_field, bad_number
/// (context "indicators.quote[0].close[3]: ...").
/// Yahoo's OHLC are already split-adjusted (the AAPL fixture of 2020-08-31,
/// the day of a 4:1 split, has meta.chartPreviousClose 124.808: the
/// previous close divided by 4), so tickflow serves Yahoo bars as adjusted
/// only (provider_info::raw_bars false). With `adjusted`, daily and longer
/// bars are scaled by indicators.adjclose[0].adjclose / close (splits and
/// dividends, adjust_bar), a null adjclose skips the row like a null price,
/// and a missing adjclose is errc::missing_field.
result<chart_bars> parse_chart_bars(const rapidjson::Value& doc,
                                    interval span,
                                    std::string_view instrument,
                                    std::string_view provider_symbol,
                                    int64_t recv_ns, bool adjusted = false);

/// The latest price of a chart: meta.regularMarketPrice (JSON double) at
/// meta.regularMarketTime (Unix SECONDS):
///   {"chart":{"result":[{"meta":{"symbol":"AAPL",
///     "regularMarketPrice":244.87,"regularMarketTime":1739998801,...}}]}}
result<price> parse_chart_price(const rapidjson::Value& doc,
                                std::string_view instrument,
                                std::string_view provider_symbol,
                                int64_t recv_ns);

/// Yahoo's name of a bar interval ("1m", "60m", "1d", "1wk", "1mo"), or ""
/// for one Yahoo has no tickflow equivalent of (its 2m, 90m, 5d, 3mo have
/// no tickflow interval either).
std::string_view interval_name(interval span) noexcept;

} // namespace tickflow::yahoo
