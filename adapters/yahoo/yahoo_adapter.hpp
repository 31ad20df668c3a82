#pragma once

// Yahoo Finance chart API v8 (unofficial: Yahoo publishes no docs; the
// shapes follow recorded responses). No key.
//
// Requests (GET /v8/finance/chart/<symbol>, the symbol percent-encoded):
//   price   ?interval=1d&range=1d        -> meta.regularMarketPrice at
//                                           meta.regularMarketTime
//   bars    ?interval=<name>&period1=<start s>&period2=<end s + span>
//           names 1m 5m 15m 30m 60m 1d 1wk 1mo (tickflow 1m 5m 15m 30m 1h
//           1d 1w 1M; Yahoo's 2m, 90m, 5d and 3mo have no tickflow
//           interval and are not served). period2 reaches one span past
//           end_ns so a daily bar stamped at 00:00 but traded later in the
//           day is included; without end_ns period2 is 9999999999 (no end).
//           Without start_ns a range by interval is asked instead
//           (1m 1d; 5m-30m 5d; 1h 1mo; 1d 1y; 1w 5y; 1M max).
// Bars are trimmed to [start_ns, end_ns] and the newest `limit`. Rows with
// a null value are skipped (yahoo::parse_chart_bars counts them; the
// rest_adapter interface has no place for the count).
//
// Symbols: equities and crypto pairs are the same ("AAPL", "BTC-USD");
// forex pairs of two fiat currencies map to Yahoo's "=X" form
// ("EUR-USD" <-> "EURUSD=X"). adapter_options::symbol_overrides map the
// rest (canonical -> Yahoo symbol), e.g. {"BRK.B", "BRK-B"} or
// {"SPX", "^GSPC"}.
//
// Errors: chart.error "Not Found" -> unknown_symbol, other chart.error ->
// provider_error (both usually with HTTP 404/400), then the HTTP status
// (429 -> rate_limited). See yahoo_parse.hpp.

#include <memory>

#include "adapters/common/rest_adapter.hpp"

namespace tickflow {

/// The Yahoo Finance adapter.
std::unique_ptr<rest_adapter>
make_yahoo_adapter(const adapter_options& options);

} // namespace tickflow
