#pragma once

// Yahoo chart events: the splits and dividends of a chart asked with
// events=div|split (GET /v8/finance/chart/AAPL?interval=1d&events=div%7Csplit
// &period1=..&period2=..), for GET /api/v1/corporate-actions.

#include <cstdint>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "pipeline/model/corporate_action.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::yahoo {

/// chart.result[0].events.splits or .dividends (`kind`), objects keyed by
/// Unix seconds; each event's date is the session's opening instant, read
/// in meta.gmtoffset as its trading day (00:00Z); dividends are in
/// meta.currency:
///   "events":{"dividends":{"1604673000":{"amount":0.205,"date":1604673000}},
///     "splits":{"1598880600":{"date":1598880600,"numerator":4,
///       "denominator":1,"splitRatio":"4:1"}}}
/// No events (or none of `kind`) is an empty list. Errors as the chart
/// parsers: another symbol, a non-object, a missing or mistyped field, a
/// ratio that is not positive, a negative amount.
result<std::vector<corporate_action>> parse_chart_events(const rapidjson::Value& doc,
                                                         action_kind kind,
                                                         std::string_view instrument,
                                                         std::string_view provider_symbol,
                                                         int64_t recv_ns);

} // namespace tickflow::yahoo
