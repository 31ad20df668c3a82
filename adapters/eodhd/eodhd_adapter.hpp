#pragma once

// EODHD end-of-day REST API (https://eodhd.com): daily, weekly and monthly
// bars of equities, forex and crypto.
//
// Request: bars 1d / 1w / 1M ->
//   GET /api/eod/AAPL.US?api_token=...&fmt=json&from=2024-01-01
//       &to=2024-01-31&period=d|w|m
// from / to are the UTC dates of start_ns / end_ns (left out when 0);
// fmt=json is required (the API's default is CSV). The api_token query
// parameter is required and listed in outbound_request::secrets. Prices and
// quotes are not served (errc::invalid_argument). Bars are trimmed to the
// newest `limit`.
//
// Symbols: canonical -> EODHD "<TICKER>.<EXCHANGE>":
//   equity "AAPL" -> "AAPL.US" (US listing by default; a share class dot
//          becomes a dash: "BRK.B" -> "BRK-B.US")
//   forex  "EUR-USD" -> "EURUSD.FOREX"
//   crypto "BTC-USD" -> "BTC-USD.CC"
// adapter_options::symbol_overrides map others (canonical -> EODHD symbol,
// e.g. {"SAP", "SAP.XETRA"}); both directions consult them first.
//
// Errors (bodies are text/html per the EODHD spec): 404 "Ticker Not Found."
// -> unknown_symbol, 401/403 -> unauthorized, 429 -> rate_limited with the
// Retry-After seconds. See eodhd_parse.hpp.

#include <memory>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// The EODHD adapter.
std::unique_ptr<rest_adapter>
make_eodhd_adapter(const adapter_options& options);

} // namespace tickflow
