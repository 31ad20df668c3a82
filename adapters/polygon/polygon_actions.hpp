#pragma once

// Polygon (Massive) splits and dividends, for GET /api/v1/corporate-actions:
//   splits     GET /v3/reference/splits?ticker=AAPL&execution_date.gte=
//              YYYY-MM-DD&execution_date.lte=YYYY-MM-DD&limit=1000&apiKey=KEY
//   dividends  GET /stocks/v1/dividends?ticker=AAPL&ex_dividend_date.gte=
//              YYYY-MM-DD&ex_dividend_date.lte=YYYY-MM-DD&limit=1000&apiKey=KEY
// Bounds of 0 are left out. One page (up to 1000 rows) is read.

#include <cstdint>
#include <string_view>
#include <vector>

#include "adapters/common/exact_json.hpp"
#include "adapters/common/rest_adapter.hpp"
#include "pipeline/model/corporate_action.hpp"

namespace tickflow::polygon {

/// Rows one splits or dividends request asks for (the API's maximum).
constexpr size_t max_action_rows = 1000;

/// The splits request of `ticker` in [start_ns, end_ns].
outbound_request splits_request(std::string_view ticker, int64_t start_ns, int64_t end_ns,
                                std::string_view api_key);

/// The dividends request of `ticker` in [start_ns, end_ns].
outbound_request dividends_request(std::string_view ticker, int64_t start_ns,
                                   int64_t end_ns, std::string_view api_key);

/// GET /v3/reference/splits: split_from old shares become split_to new
/// ones on execution_date (integers, or decimals for odd ratios):
///   {"results":[{"execution_date":"2020-08-31","id":"E364...",
///     "split_from":1,"split_to":4,"ticker":"AAPL"}],"status":"OK"}
/// Also reads /stocks/v1/splits (the same fields plus adjustment_type and
/// historical_adjustment_factor, ignored). A row of another ticker is
/// errc::malformed; no "results" is no splits.
result<std::vector<corporate_action>> parse_splits(const json::exact_document& doc,
                                                   std::string_view instrument,
                                                   std::string_view ticker,
                                                   int64_t recv_ns);

/// GET /stocks/v1/dividends: cash_amount per share as paid, in currency,
/// going ex on ex_dividend_date, paid on pay_date (optional):
///   {"request_id":1,"results":[{"cash_amount":0.26,"currency":"USD",
///     "ex_dividend_date":"2025-08-11","pay_date":"2025-08-14",
///     "record_date":"2025-08-11","split_adjusted_cash_amount":0.26,
///     "ticker":"AAPL",...}],"status":"OK"}
result<std::vector<corporate_action>> parse_dividends(const json::exact_document& doc,
                                                      std::string_view instrument,
                                                      std::string_view ticker,
                                                      int64_t recv_ns);

} // namespace tickflow::polygon
