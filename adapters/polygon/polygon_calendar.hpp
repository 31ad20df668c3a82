#pragma once

// Polygon/Massive market holidays: GET /v1/marketstatus/upcoming lists the
// coming closures and early closes of each US exchange. Where Polygon is
// configured its list overrides the NYSE rules of the US equity calendar
// date by date (pipeline/model/trading_calendar), so a closure no rule
// knows (a national day of mourning) is a closure here too.

#include <string_view>
#include <vector>

#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/error.hpp"
#include "pipeline/model/trading_calendar.hpp"

namespace tickflow::polygon {

/// The path of the holiday list.
inline constexpr std::string_view market_holidays_path = "/v1/marketstatus/upcoming";

/// GET /v1/marketstatus/upcoming?apiKey=KEY
outbound_request market_holidays_request(std::string_view api_key);

/// The dates of `exchange` ("NYSE") in a /v1/marketstatus/upcoming body, a
/// top-level array (times ISO-8601 UTC with ms, early closes only):
///   [{"date":"2020-11-26","exchange":"NYSE","name":"Thanksgiving",
///     "status":"closed"},
///    {"close":"2020-11-27T18:00:00.000Z","date":"2020-11-27",
///     "exchange":"NYSE","name":"Thanksgiving",
///     "open":"2020-11-27T14:30:00.000Z","status":"early-close"}]
/// "closed" is a date with no session, "early-close" one with its open and
/// close; other statuses and other exchanges are skipped. errc::malformed
/// when the body is not a JSON array or a row is not an object;
/// errc::missing_field / errc::invalid_argument for a row of the exchange
/// without a valid date, or an early close without valid open/close.
result<std::vector<session_exception>> parse_market_holidays(std::string_view body,
                                                             std::string_view exchange);

} // namespace tickflow::polygon
