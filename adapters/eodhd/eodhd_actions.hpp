#pragma once

// EODHD splits and dividends, for GET /api/v1/corporate-actions:
//   GET /api/splits/AAPL.US?api_token=...&fmt=json[&from=YYYY-MM-DD][&to=...]
//   GET /api/div/AAPL.US?api_token=...&fmt=json[&from=YYYY-MM-DD][&to=...]
// Values are JSON numbers read exactly (json::parse_with_number_text).

#include <cstdint>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "pipeline/model/corporate_action.hpp"
#include "pipeline/model/error.hpp"

namespace tickflow::eodhd {

/// The splits reply: an array, oldest first, of a date and a TEXT ratio
/// "new/old" with six decimals:
///   [{"date":"2014-06-09","split":"7.000000/1.000000"},
///    {"date":"2020-08-31","split":"4.000000/1.000000"}]
/// A body that is not an array, a date or ratio that does not read, or a
/// ratio that is not positive is errc::malformed.
result<std::vector<corporate_action>> parse_splits(const rapidjson::Value& doc,
                                                   std::string_view instrument,
                                                   int64_t recv_ns);

/// The dividends reply: an array, oldest first; date is the ex-date,
/// unadjustedValue the amount paid (value is split-adjusted, used when
/// unadjustedValue is absent), paymentDate and currency optional:
///   [{"date":"2012-08-09","declarationDate":"2012-07-24",
///     "recordDate":"2012-08-13","paymentDate":"2012-08-16",
///     "period":"Quarterly","value":0.0946,"unadjustedValue":2.6488,
///     "currency":"USD"}]
result<std::vector<corporate_action>> parse_dividends(const rapidjson::Value& doc,
                                                      std::string_view instrument,
                                                      int64_t recv_ns);

} // namespace tickflow::eodhd
